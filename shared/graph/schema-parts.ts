/**
 * Building blocks of the graph's JSON Schema, written with TypeBox so that each schema and
 * its TypeScript type come from one declaration. Shared shapes (values, conditions) live in
 * the schema's `$defs` and are referenced, so the published schema stays readable.
 *
 * Annotations read by the semantic validator (JSON Schema tools ignore them):
 * - `x-signflow-type`: the value type a value slot expects;
 * - `x-signflow-type-from`: the slot's type comes from a sibling setting (`field` or `variable`);
 * - `x-signflow-ref`: the string names a stage, variable, field, template or user;
 * - `x-signflow-required`: the setting must not be left empty.
 */
import Type, { type Static, type TObject, type TSchema, type TUnsafe } from 'typebox'
import { DURATION_UNITS, VALUE_TYPES, type ValueType } from './vocabulary.js'

export const ANNOTATIONS = {
  type: 'x-signflow-type',
  typeFrom: 'x-signflow-type-from',
  ref: 'x-signflow-ref',
  required: 'x-signflow-required',
} as const

export type RefKind = 'stage' | 'variable' | 'field' | 'dateField' | 'template' | 'user'

/** An identifier chosen by the analyst: letters, digits, `_` and `-`, starting with a letter. */
export const Id = (description = 'Stable identifier') =>
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$', description })

/** A plain string enum (`{"enum": [...]}`) typed as the union of its members. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}

/**
 * A union of object variants told apart by one property. Emitted as `if`/`then` per variant
 * rather than `oneOf`, so that ajv reports the error of the variant the data chose instead of
 * one error per variant.
 */
export function Discriminated<const K extends string, const V extends readonly TObject[]>(
  key: K,
  variants: V,
  options: Record<string, unknown> = {},
): TUnsafe<Static<V[number]>> {
  const names = variants.map((variant) => {
    const property = variant.properties[key] as { const?: unknown } | undefined
    if (typeof property?.const !== 'string') throw new Error(`variant without a const ${key}`)
    return property.const
  })
  return Type.Unsafe<Static<V[number]>>({
    type: 'object',
    required: [key],
    properties: { [key]: { type: 'string', enum: names } },
    // `required` in the `if`: without the key, no variant applies (and no variant's errors are reported).
    allOf: variants.map((variant, i) => ({
      if: { required: [key], properties: { [key]: { const: names[i] } } },
      then: { ...variant, properties: { ...variant.properties } } as TSchema,
    })),
    ...options,
  })
}

// ---------------------------------------------------------------- values

export interface ConstantRef {
  kind: 'constant'
  id: string
}
export interface VariableRef {
  kind: 'variable'
  id: string
}
/** An element field: `amount`, `client.email`, `client.requisites.taxId`, `custom.deliveryDate`, `myCompany.bankAccount`. */
export interface FieldRef {
  kind: 'field'
  path: string
}
export interface OutputRef {
  kind: 'output'
  node: string
  output: string
}
export type Reference = ConstantRef | VariableRef | FieldRef | OutputRef
export type Scalar = string | number | boolean
export interface LiteralValue {
  kind: 'literal'
  value: Scalar | Scalar[]
}
/** Text mixing literal parts with references: `["Dear ", {"kind":"field","path":"client.name"}]`. */
export interface TemplateValue {
  kind: 'template'
  parts: Array<string | Reference>
}
/** What any setting holds: a literal, a reference, or a text template. */
export type Value = LiteralValue | TemplateValue | Reference

const ScalarSchema = Type.Union([Type.String(), Type.Number(), Type.Boolean()])

const referenceVariants = [
  Type.Object({ kind: Type.Literal('constant'), id: Id('Constant id') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('variable'), id: Id('Variable id') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('field'),
      path: Type.String({ minLength: 1, maxLength: 200, description: 'Element field path' }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('output'), node: Id('Rule id'), output: Id('Output name') },
    { additionalProperties: false },
  ),
] as const

export const ReferenceDef = Discriminated('kind', referenceVariants, {
  title: 'Reference',
  description: 'A constant, a variable, an element field or an output of an earlier rule.',
})

export const ValueDef = Discriminated(
  'kind',
  [
    Type.Object(
      {
        kind: Type.Literal('literal'),
        value: Type.Union([ScalarSchema, Type.Array(ScalarSchema, { maxItems: 1000 })]),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('template'),
        parts: Type.Array(Type.Union([Type.String(), Type.Unsafe<Reference>({ $ref: '#/$defs/reference' })]), {
          maxItems: 1000,
        }),
      },
      { additionalProperties: false },
    ),
    ...referenceVariants,
  ],
  {
    title: 'Value',
    description: 'A typed literal, a reference, or a text template mixing text and references.',
  },
)

/** A setting slot holding a {@link Value} of the given type. */
export function V(type: ValueType | 'any', options: Record<string, unknown> = {}) {
  return Type.Unsafe<Value>({ $ref: '#/$defs/value', [ANNOTATIONS.type]: type, ...options })
}
/** A value slot whose type is the type of the field or variable named by a sibling setting. */
export function VFrom(sibling: 'field' | 'variable') {
  return Type.Unsafe<Value>({ $ref: '#/$defs/value', [ANNOTATIONS.typeFrom]: sibling })
}
/** A string naming something elsewhere in the graph (or, for templates and users, on the server). */
export function RefString(kind: RefKind, description: string) {
  return Type.String({ maxLength: 200, description, [ANNOTATIONS.ref]: kind })
}

// ---------------------------------------------------------------- conditions

export const OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'empty',
  'notEmpty',
  'contains',
  'notContains',
  'in',
  'notIn',
  'between',
  'withinLastDays',
  'withinNextDays',
] as const
export type Operator = (typeof OPERATORS)[number]

/** One comparison: `amount gt 5000`. `values` holds as many operands as the operator takes. */
export interface ConditionRow {
  left: Reference
  op: Operator
  values: Value[]
}
/** Rows and nested groups joined by AND (`all`) or OR (`any`). */
export interface ConditionGroup {
  match: 'all' | 'any'
  items: Array<ConditionGroup | ConditionRow>
}

export const ConditionRowDef = Type.Object(
  {
    left: Type.Unsafe<Reference>({ $ref: '#/$defs/reference' }),
    op: StringEnum(OPERATORS),
    values: Type.Array(Type.Unsafe<Value>({ $ref: '#/$defs/value' }), { maxItems: 1000 }),
  },
  { additionalProperties: false, title: 'Condition row' },
)

export const ConditionGroupDef = Type.Unsafe<ConditionGroup>({
  type: 'object',
  title: 'Condition group',
  required: ['match', 'items'],
  additionalProperties: false,
  properties: {
    match: { type: 'string', enum: ['all', 'any'] },
    items: {
      type: 'array',
      maxItems: 1000,
      items: {
        if: { type: 'object', required: ['match'] },
        then: { $ref: '#/$defs/conditionGroup' },
        else: { $ref: '#/$defs/conditionRow' },
      },
    },
  },
})

export const ConditionRef = Type.Unsafe<ConditionGroup>({ $ref: '#/$defs/conditionGroup' })

// ---------------------------------------------------------------- who moves the element

/** Which user is recorded as the author of a stage change: the responsible person, or a named user. */
export const ChangeAsDef = Discriminated('mode', [
  Type.Object({ mode: Type.Literal('responsible') }, { additionalProperties: false }),
  Type.Object({ mode: Type.Literal('user'), user: RefString('user', 'User id') }, { additionalProperties: false }),
])
export type ChangeAs = Static<typeof ChangeAsDef>

// ---------------------------------------------------------------- time

export const DurationDef = Type.Object(
  {
    amount: Type.Integer({ minimum: 0, maximum: 100000 }),
    unit: StringEnum(DURATION_UNITS),
  },
  { additionalProperties: false },
)
/** A length of time: `{ "amount": 2, "unit": "days" }` (work days skip weekends and holidays). */
export type Duration = Static<typeof DurationDef>

/** Like a duration, but negative amounts mean "before". */
export const OffsetDef = Type.Object(
  {
    amount: Type.Integer({ minimum: -100000, maximum: 100000 }),
    unit: StringEnum(DURATION_UNITS),
  },
  { additionalProperties: false },
)

/**
 * Run only within working hours, waiting for them if needed: the company's calendar, or the
 * responsible person's own hours (falling back to the company's).
 */
const workingHours = Type.Optional(
  StringEnum(['company', 'responsible'] as const, {
    description: "Run only within working hours (the company's, or the responsible person's), waiting for them",
  }),
)

export const TimeDef = Discriminated(
  'mode',
  [
    Type.Object({ mode: Type.Literal('immediately'), workingHours }, { additionalProperties: false }),
    Type.Object({ mode: Type.Literal('delay'), delay: DurationDef, workingHours }, { additionalProperties: false }),
    Type.Object(
      {
        mode: Type.Literal('relative'),
        field: RefString('dateField', 'A date or date-time field of the element'),
        offset: OffsetDef,
        at: Type.Optional(
          Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Time of day, HH:MM' }),
        ),
        workingHours,
      },
      { additionalProperties: false },
    ),
    Type.Object({ mode: Type.Literal('at'), at: V('datetime'), workingHours }, { additionalProperties: false }),
  ],
  { title: 'Time', description: 'When a rule runs after the element enters the stage.' },
)
export type Time = Static<typeof TimeDef>

export const VALUE_TYPE_SCHEMA = StringEnum(VALUE_TYPES)
