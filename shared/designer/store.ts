/**
 * The designer's one store (zustand; React reads it through selector hooks): the draft graph, what is
 * selected, and the history. Every edit runs a command (`commands.ts`) inside immer, which records it as
 * patches and their inverses: undo applies the inverse patches, redo the patches — the history holds diffs,
 * not copies of the graph. Selection and viewport never enter the history. Several edits can make one step
 * (a whole drag): `begin` opens a step, `end` closes it.
 */
import { applyPatches, enablePatches, type Patch, produceWithPatches } from 'immer'
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Graph } from '../graph/graph.js'

enablePatches()

export interface HistoryStep {
  /** What the step did, as the undo button says it: "Add 2 rules", "Move stage". */
  label: string
  /** Edits with the same key in a row (typing in one field) make one step. */
  merge?: string
  patches: Patch[]
  inverse: Patch[]
}

export interface DesignerState {
  graph: Graph
  /** Selected node or stage ids (not part of the history). */
  selection: string[]
  past: HistoryStep[]
  future: HistoryStep[]
  /** A step being gathered (between `begin` and `end`), or none. */
  open: HistoryStep | undefined
  /** Edits since the draft was last saved. */
  dirty: boolean
  /**
   * Runs `recipe` on the draft as one step (or as part of the open one); returns what the recipe returned.
   * With `merge`, an edit right after another with the same key joins its step (each keystroke in a field).
   */
  edit<T>(label: string, recipe: (draft: Graph) => T, merge?: string): T
  begin(label: string): void
  end(): void
  undo(): void
  redo(): void
  select(ids: readonly string[]): void
  /** Replaces the graph (a loaded draft, an imported file): the history starts again. */
  load(graph: Graph): void
  saved(): void
}

/** At most this many steps are kept. */
export const HISTORY_LIMIT = 200

export type DesignerStore = StoreApi<DesignerState>

export function createDesignerStore(initial: Graph): DesignerStore {
  return createStore<DesignerState>()((set, get) => ({
    graph: initial,
    selection: [],
    past: [],
    future: [],
    open: undefined,
    dirty: false,

    edit<T>(label: string, recipe: (draft: Graph) => T, merge?: string): T {
      let result: T | undefined
      const [graph, patches, inverse] = produceWithPatches(get().graph, (draft) => {
        result = recipe(draft as Graph)
      })
      if (patches.length === 0) return result as T
      const { open, past } = get()
      if (open) {
        // Inside a step: its patches run after the earlier ones, its inverse before theirs.
        set({
          graph,
          open: { label: open.label, patches: [...open.patches, ...patches], inverse: [...inverse, ...open.inverse] },
          dirty: true,
        })
      } else if (merge !== undefined && past.at(-1)?.merge === merge && get().future.length === 0) {
        const last = past.at(-1) as HistoryStep
        const joined = { label, merge, patches: [...last.patches, ...patches], inverse: [...inverse, ...last.inverse] }
        set({ graph, past: [...past.slice(0, -1), joined], dirty: true })
      } else {
        const step: HistoryStep = { label, patches, inverse, ...(merge !== undefined ? { merge } : {}) }
        set({ graph, past: [...past, step].slice(-HISTORY_LIMIT), future: [], dirty: true })
      }
      return result as T
    },

    begin(label) {
      if (!get().open) set({ open: { label, patches: [], inverse: [] } })
    },

    end() {
      const { open, past } = get()
      if (!open) return
      set({
        open: undefined,
        ...(open.patches.length > 0 ? { past: [...past, open].slice(-HISTORY_LIMIT), future: [] } : {}),
      })
    },

    undo() {
      get().end()
      const { past, future, graph } = get()
      const step = past[past.length - 1]
      if (!step) return
      set({ graph: applyPatches(graph, step.inverse), past: past.slice(0, -1), future: [step, ...future], dirty: true })
    },

    redo() {
      const { past, future, graph } = get()
      const step = future[0]
      if (!step) return
      set({ graph: applyPatches(graph, step.patches), past: [...past, step], future: future.slice(1), dirty: true })
    },

    select(ids) {
      set({ selection: [...ids] })
    },

    load(graph) {
      set({ graph, selection: [], past: [], future: [], open: undefined, dirty: false })
    },

    saved() {
      set({ dirty: false })
    },
  }))
}
