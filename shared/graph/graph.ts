/**
 * The JSON rule graph, format version 1: the single interchange format between the
 * designer, the simulator, the runtime and the CLI. `graphSchema` is its JSON Schema
 * (draft 2020-12). The types come from the same TypeBox declarations, except `Graph`, `Stage`
 * and the node unions, which are written out so that node settings are typed by the catalog;
 * a compile-time check at the end keeps the two in step.
 */
import Type, { type Static } from 'typebox'
import {
  type NodeType,
  RULE_TYPES,
  type RuleSettings,
  type RuleType,
  ruleCatalog,
  TRIGGER_TYPES,
  type TriggerSettings,
  type TriggerType,
  triggerCatalog,
} from '../catalog/index.js'
import type { CustomFieldDecl } from './fields.js'
import {
  ChangeAsDef,
  ConditionGroupDef,
  ConditionRef,
  ConditionRowDef,
  Id,
  ReferenceDef,
  type Scalar,
  StringEnum,
  TimeDef,
  VALUE_TYPE_SCHEMA,
  ValueDef,
} from './schema-parts.js'
import { ELEMENT_TYPES, type ElementType, STAGE_KINDS, type StageKind } from './vocabulary.js'

export const FORMAT_VERSION = 1
export const SCHEMA_ID = 'https://signflow.dev/schema/graph-v1.schema.json'

const obj = { additionalProperties: false } as const

const Text = (max: number, description?: string) =>
  Type.String({ maxLength: max, ...(description ? { description } : {}) })
const ScalarOrList = Type.Unsafe<Scalar | Scalar[]>({
  anyOf: [
    { type: ['string', 'number', 'boolean'] },
    { type: 'array', maxItems: 1000, items: { type: ['string', 'number', 'boolean'] } },
  ],
})

// ---------------------------------------------------------------- nodes

const EXECUTIONS = ['afterPrevious', 'parallel'] as const
export type Execution = (typeof EXECUTIONS)[number]

const nodeId = Id('Stable node id: diffs, history and outputs refer to it')
const nodeCommon = {
  condition: Type.Optional(ConditionRef),
  disabled: Type.Optional(Type.Boolean({ description: 'Kept in the design, but never runs or fires' })),
}
/** The standard settings of every rule (SPEC §4). */
const RuleBaseDef = Type.Object({
  id: nodeId,
  title: Text(200, 'Title shown on the node'),
  ...nodeCommon,
  execution: StringEnum(EXECUTIONS, {
    description: 'Start after the previous rule of the stage has finished, or at stage entry on its own',
  }),
  time: TimeDef,
})
/** The standard settings of every trigger (SPEC §5). */
const TriggerBaseDef = Type.Object({
  id: nodeId,
  title: Text(200, 'Name, to tell triggers apart'),
  ...nodeCommon,
  changeStageAs: ChangeAsDef,
  allowReturn: Type.Boolean({ description: 'May move the element back to an earlier stage' }),
})
type RuleBase = Static<typeof RuleBaseDef>
type TriggerBase = Static<typeof TriggerBaseDef>

/** A rule on a stage; `settings` is typed by `type` (switch on `type` to narrow). */
export type RuleNode = { [K in RuleType]: RuleBase & { type: K; settings: RuleSettings<K> } }[RuleType]
/** A trigger on a stage; it moves the element to its stage when its event happens. */
export type TriggerNode = {
  [K in TriggerType]: TriggerBase & { type: K; settings: TriggerSettings<K> }
}[TriggerType]
export type FlowNode = RuleNode | TriggerNode

/** A rule or trigger: its standard settings, the catalog type, and that type's own settings. */
function nodeSchema(kind: 'rule' | 'trigger') {
  const types = kind === 'rule' ? RULE_TYPES : TRIGGER_TYPES
  const catalog: Record<string, { settings: unknown }> = kind === 'rule' ? ruleCatalog : triggerCatalog
  const { id, ...rest } = (kind === 'rule' ? RuleBaseDef : TriggerBaseDef).properties
  return {
    ...Type.Object(
      { id, type: StringEnum(types as readonly NodeType[]), ...rest, settings: Type.Object({}) },
      { ...obj, title: kind === 'rule' ? 'Rule' : 'Trigger' },
    ),
    // `required` in the `if`: a node without a type gets one finding, not one per catalog type.
    allOf: types.map((type) => ({
      if: { required: ['type'], properties: { type: { const: type } } },
      then: { properties: { settings: catalog[type]?.settings } },
    })),
  }
}

// ---------------------------------------------------------------- stages and declarations

export interface Stage {
  id: string
  name: string
  /** `#rrggbb` */
  color: string
  kind: StageKind
  /** Triggers move elements into this stage when their event happens. */
  triggers: TriggerNode[]
  /** Rules run, in this order, when an element enters this stage. */
  rules: RuleNode[]
}

const StageDef = Type.Object(
  {
    id: Id('Stage id'),
    name: Text(100),
    color: Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }),
    kind: StringEnum(STAGE_KINDS),
    triggers: Type.Array(Type.Unsafe({ $ref: '#/$defs/trigger' }), { maxItems: 500 }),
    rules: Type.Array(Type.Unsafe({ $ref: '#/$defs/rule' }), { maxItems: 500 }),
  },
  obj,
)

/** A fixed value set by the analyst; rules read it, only people change it. */
const ConstantDef = Type.Object(
  {
    id: Id('Constant id'),
    name: Text(200),
    type: VALUE_TYPE_SCHEMA,
    multiple: Type.Optional(Type.Boolean()),
    value: ScalarOrList,
    description: Type.Optional(Text(2000)),
  },
  obj,
)
export type ConstantDecl = Static<typeof ConstantDef>

/** A value rules read and write while the flow runs. */
const VariableDef = Type.Object(
  {
    id: Id('Variable id'),
    name: Text(200),
    type: VALUE_TYPE_SCHEMA,
    multiple: Type.Optional(Type.Boolean()),
    default: Type.Optional(ScalarOrList),
    description: Type.Optional(Text(2000)),
  },
  obj,
)
export type VariableDecl = Static<typeof VariableDef>

/** A custom element field the flow relies on, referenced as `custom.<id>`. */
const CustomFieldDef = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }),
    label: Text(200),
    type: VALUE_TYPE_SCHEMA,
    multiple: Type.Optional(Type.Boolean()),
  },
  obj,
)

const DesignerDef = Type.Object(
  {
    viewport: Type.Optional(
      Type.Object({ x: Type.Number(), y: Type.Number(), zoom: Type.Number({ exclusiveMinimum: 0 }) }, obj),
    ),
    nodes: Type.Optional(
      Type.Array(
        Type.Object({ id: Id(), collapsed: Type.Optional(Type.Boolean()), note: Type.Optional(Text(2000)) }, obj),
        { maxItems: 10000 },
      ),
    ),
    stages: Type.Optional(
      Type.Array(
        Type.Object(
          { id: Id(), collapsed: Type.Optional(Type.Boolean()), width: Type.Optional(Type.Number({ minimum: 0 })) },
          obj,
        ),
        { maxItems: 10000 },
      ),
    ),
  },
  { ...obj, description: 'Designer-only data (viewport, collapsed nodes, notes); the engine ignores it.' },
)
/** Designer-only data: the engine never reads it. */
export type DesignerData = Static<typeof DesignerDef>

// ---------------------------------------------------------------- the graph

export interface Graph {
  $schema?: string
  formatVersion: typeof FORMAT_VERSION
  flow: { id: string; name: string; description?: string }
  elementType: ElementType
  pipeline: { id: string; name: string; stages: Stage[] }
  constants: ConstantDecl[]
  variables: VariableDecl[]
  fields: CustomFieldDecl[]
  designer?: DesignerData
}

const GraphDef = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    formatVersion: Type.Literal(FORMAT_VERSION),
    flow: Type.Object({ id: Id('Flow id'), name: Text(200), description: Type.Optional(Text(5000)) }, obj),
    elementType: StringEnum(ELEMENT_TYPES),
    pipeline: Type.Object(
      { id: Id('Pipeline id'), name: Text(200), stages: Type.Array(StageDef, { minItems: 1, maxItems: 1000 }) },
      obj,
    ),
    constants: Type.Array(ConstantDef, { maxItems: 10000 }),
    variables: Type.Array(VariableDef, { maxItems: 10000 }),
    fields: Type.Array(CustomFieldDef, { maxItems: 10000 }),
    designer: Type.Optional(DesignerDef),
  },
  obj,
)

/** The JSON Schema (draft 2020-12) of format version 1, as published in `shared/schema/`. */
export const graphSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: SCHEMA_ID,
  title: 'Signflow rule graph',
  description: 'A pipeline with its automation rules and triggers, as designed in Signflow. See docs/format.md.',
  ...GraphDef,
  $defs: {
    rule: nodeSchema('rule'),
    trigger: nodeSchema('trigger'),
    value: ValueDef,
    reference: ReferenceDef,
    conditionGroup: ConditionGroupDef,
    conditionRow: ConditionRowDef,
  },
} as const

// These lines fail to compile if the written-out types and the schema drift apart.
type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
type Skeleton = Omit<Graph, 'pipeline'> & {
  pipeline: Omit<Graph['pipeline'], 'stages'> & {
    stages: Array<Omit<Stage, 'triggers' | 'rules'> & { triggers: unknown[]; rules: unknown[] }>
  }
}
export const _graphTypesAgree: MutuallyAssignable<Skeleton, Static<typeof GraphDef>> = true
export const _customFieldTypesAgree: MutuallyAssignable<CustomFieldDecl, Static<typeof CustomFieldDef>> = true
