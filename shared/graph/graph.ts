/**
 * The JSON rule graph, format version 1: the single interchange format between the
 * designer, the simulator, the runtime and the CLI. `graphSchema` is its JSON Schema
 * (draft 2020-12); the TypeScript types below describe the same documents.
 */
import Type, { type Static, type TSchema } from 'typebox'
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
  type ChangeAs,
  ChangeAsDef,
  type ConditionGroup,
  ConditionGroupDef,
  ConditionRef,
  ConditionRowDef,
  Id,
  ReferenceDef,
  type Scalar,
  StringEnum,
  type Time,
  TimeDef,
  VALUE_TYPE_SCHEMA,
  ValueDef,
} from './schema-parts.js'
import { ELEMENT_TYPES, type ElementType, STAGE_KINDS, type StageKind, type ValueType } from './vocabulary.js'

export const FORMAT_VERSION = 1
export const SCHEMA_ID = 'https://signflow.dev/schema/graph-v1.schema.json'

const obj = { additionalProperties: false } as const

export type Execution = 'afterPrevious' | 'parallel'

interface NodeBase {
  /** Stable across edits and versions: diffs, history and outputs refer to it. */
  id: string
  title: string
  condition?: ConditionGroup
  /** A disabled node stays in the design but never runs or fires. */
  disabled?: boolean
}
interface RuleBase extends NodeBase {
  execution: Execution
  time: Time
}
interface TriggerBase extends NodeBase {
  changeStageAs: ChangeAs
  allowReturn: boolean
}

/** A rule on a stage; `settings` is typed by `type` (switch on `type` to narrow). */
export type RuleNode = { [K in RuleType]: RuleBase & { type: K; settings: RuleSettings<K> } }[RuleType]
/** A trigger on a stage; it moves the element to its stage when its event happens. */
export type TriggerNode = {
  [K in TriggerType]: TriggerBase & { type: K; settings: TriggerSettings<K> }
}[TriggerType]
export type FlowNode = RuleNode | TriggerNode

export interface Stage {
  id: string
  name: string
  /** `#rrggbb` */
  color: string
  kind: StageKind
  triggers: TriggerNode[]
  rules: RuleNode[]
}

export interface ConstantDecl {
  id: string
  name: string
  type: ValueType
  multiple?: boolean
  value: Scalar | Scalar[]
  description?: string
}
export interface VariableDecl {
  id: string
  name: string
  type: ValueType
  multiple?: boolean
  default?: Scalar | Scalar[]
  description?: string
}

/** Designer-only data: the engine never reads it. */
export interface DesignerData {
  viewport?: { x: number; y: number; zoom: number }
  nodes?: Array<{ id: string; collapsed?: boolean; note?: string }>
  stages?: Array<{ id: string; collapsed?: boolean; width?: number }>
}

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

// ---------------------------------------------------------------- schema

const Text = (max: number, description?: string) =>
  Type.String({ maxLength: max, ...(description ? { description } : {}) })
const ScalarOrList = Type.Unsafe<Scalar | Scalar[]>({
  anyOf: [
    { type: ['string', 'number', 'boolean'] },
    { type: 'array', maxItems: 1000, items: { type: ['string', 'number', 'boolean'] } },
  ],
})

function nodeSchema(kind: 'rule' | 'trigger') {
  const types = kind === 'rule' ? RULE_TYPES : TRIGGER_TYPES
  const catalog: Record<string, { settings: unknown; label: string }> = kind === 'rule' ? ruleCatalog : triggerCatalog
  const standard: Record<string, TSchema> =
    kind === 'rule'
      ? {
          execution: StringEnum(['afterPrevious', 'parallel'] as const, {
            description: 'Start after the previous rule of the stage has finished, or at stage entry on its own',
          }),
          time: TimeDef,
        }
      : {
          changeStageAs: ChangeAsDef,
          allowReturn: Type.Boolean({ description: 'May move the element back to an earlier stage' }),
        }
  const base = Type.Object(
    {
      id: Id('Stable node id'),
      type: StringEnum(types as readonly NodeType[]),
      title: Text(200, kind === 'rule' ? 'Title shown on the node' : 'Name, to tell triggers apart'),
      condition: Type.Optional(ConditionRef),
      disabled: Type.Optional(Type.Boolean()),
      ...standard,
      settings: Type.Object({}),
    },
    { ...obj, title: kind === 'rule' ? 'Rule' : 'Trigger' },
  )
  return {
    ...base,
    allOf: types.map((type) => ({
      if: { required: ['type'], properties: { type: { const: type } } },
      then: { properties: { settings: catalog[type]?.settings } },
    })),
  }
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
          {
            id: Id(),
            collapsed: Type.Optional(Type.Boolean()),
            width: Type.Optional(Type.Number({ minimum: 0 })),
          },
          obj,
        ),
        { maxItems: 10000 },
      ),
    ),
  },
  { ...obj, description: 'Designer-only data (viewport, collapsed nodes, notes); the engine ignores it.' },
)

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
    constants: Type.Array(
      Type.Object(
        {
          id: Id('Constant id'),
          name: Text(200),
          type: VALUE_TYPE_SCHEMA,
          multiple: Type.Optional(Type.Boolean()),
          value: ScalarOrList,
          description: Type.Optional(Text(2000)),
        },
        obj,
      ),
      { maxItems: 10000 },
    ),
    variables: Type.Array(
      Type.Object(
        {
          id: Id('Variable id'),
          name: Text(200),
          type: VALUE_TYPE_SCHEMA,
          multiple: Type.Optional(Type.Boolean()),
          default: Type.Optional(ScalarOrList),
          description: Type.Optional(Text(2000)),
        },
        obj,
      ),
      { maxItems: 10000 },
    ),
    fields: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }),
          label: Text(200),
          type: VALUE_TYPE_SCHEMA,
          multiple: Type.Optional(Type.Boolean()),
        },
        obj,
      ),
      { maxItems: 10000 },
    ),
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

// The TypeBox declaration and the hand-written `Graph` interface describe the same
// documents; this line fails to compile if their skeletons drift apart.
type _SameKeys = [keyof Static<typeof GraphDef>] extends [keyof Graph]
  ? [keyof Graph] extends [keyof Static<typeof GraphDef>]
    ? true
    : never
  : never
export const _sameKeys: _SameKeys = true
