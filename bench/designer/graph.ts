/** The graph both pages of bench/designer draw: 40 stages × 15 nodes (2 triggers, 13 rules with their badges). */
import { largeGraph } from '../large-graph.js'

export const STAGES = 40
export const NODES_PER_STAGE = 15
/** What React Flow draws: a column per stage and a card per node. */
export const CANVAS_NODES = STAGES * (NODES_PER_STAGE + 1)
/**
 * The rule the driver drags: near the top left, in view both when the whole pipeline fits and when the
 * designer opens a long one at a readable zoom from its first stage (a "send email" rule: delay, condition).
 */
export const DRAGGED_NODE = 's3-r1'

export const benchGraph = () => largeGraph(STAGES, NODES_PER_STAGE)
