/**
 * The designer's words in the person's language: the element fields' labels, the "…" picker's groups and
 * value types, the operators, conditions in words (the node's "if …" badge), stage kinds, the settings'
 * labels and choices. `shared/designer/picker.ts` keeps the English the CLI speaks; this is the web's reading
 * of the same things, equal to it in English (words.test.ts).
 */
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { getCatalogEntry } from '../../../shared/catalog/index.js'
import { findNode } from '../../../shared/designer/commands.js'
import type { PickGroup } from '../../../shared/designer/picker.js'
import { type FieldDef, fieldIndex } from '../../../shared/graph/fields.js'
import type { Graph } from '../../../shared/graph/graph.js'
import type { ConditionGroup, ConditionRow, Operator, Reference, Value } from '../../../shared/graph/schema-parts.js'
import type { ElementType, StageKind, ValueType } from '../../../shared/graph/vocabulary.js'
import { outputLabel } from '../i18n/catalog-text.js'

/** A translation function of the designer's namespace. */
export type Translate = (key: string, options?: Record<string, unknown>) => string

/** The designer's translation function and its words, following the language. */
export function useWords(): Words {
  const { t } = useTranslation('designer')
  return useMemo(() => wordsOf(t as unknown as Translate), [t])
}

export type Words = ReturnType<typeof wordsOf>

export function wordsOf(t: Translate) {
  const typeWord = (type: ValueType | 'any'): string =>
    ({
      text: t('typeWord.text'),
      number: t('typeWord.number'),
      money: t('typeWord.money'),
      boolean: t('typeWord.boolean'),
      date: t('typeWord.date'),
      datetime: t('typeWord.datetime'),
      user: t('typeWord.user'),
      file: t('typeWord.file'),
      document: t('typeWord.document'),
      any: t('typeWord.any'),
    })[type] ?? type

  const typeLabel = (type: ValueType): string =>
    ({
      text: t('typeLabel.text'),
      number: t('typeLabel.number'),
      money: t('typeLabel.money'),
      boolean: t('typeLabel.boolean'),
      date: t('typeLabel.date'),
      datetime: t('typeLabel.datetime'),
      user: t('typeLabel.user'),
      file: t('typeLabel.file'),
      document: t('typeLabel.document'),
    })[type] ?? type

  const groupWord = (group: PickGroup): string =>
    ({
      Constants: t('pickGroup.constants'),
      Variables: t('pickGroup.variables'),
      'Earlier rules': t('pickGroup.earlierRules'),
      Element: t('pickGroup.element'),
      Client: t('pickGroup.client'),
      "Client's requisites": t('pickGroup.clientRequisites'),
      'My company': t('pickGroup.myCompany'),
      'Custom fields': t('pickGroup.customFields'),
    })[group] ?? group

  const stageKind = (kind: StageKind): string =>
    ({
      inProgress: t('stageKind.inProgress'),
      success: t('stageKind.success'),
      failure: t('stageKind.failure'),
    })[kind] ?? kind

  /** What a pipeline moves, as the new-pipeline dialog lists it ("Deals"). */
  const elementTypes = (type: ElementType): string =>
    ({
      deal: t('elementTypes.deal'),
      lead: t('elementTypes.lead'),
      contact: t('elementTypes.contact'),
      signingDocument: t('elementTypes.signingDocument'),
    })[type] ?? type

  /** An operator as the condition builder offers it: "=", "contains", "is one of". */
  // i18n-dynamic: designer:operator.
  const operator = (op: Operator): string => t(`operator.${op}`)

  /** A standard field's label in this language; a custom field's is the analyst's own. */
  // i18n-dynamic: designer:field.
  // i18n-dynamic: designer:requisite.
  // i18n-dynamic: designer:address.
  // i18n-dynamic: designer:addressPart.
  const fieldLabel = (def: FieldDef): string => {
    const fallback = { defaultValue: def.label }
    if (def.group === 'custom') return def.label
    if (def.group === 'element' || def.group === 'client') return t(`field.${def.path}`, fallback)
    const rest = def.path.replace(/^client\.requisites\.|^myCompany\./, '')
    const address = /^address\.(\w+)\.(\w+)$/.exec(rest)
    let what: string
    if (address) {
      const [, type = '', part = ''] = address
      const place = t(`address.${type}`, { defaultValue: type })
      what = part === 'full' ? place : t('addressPartOf', { address: place, part: t(`addressPart.${part}`) })
    } else what = t(`requisite.${rest}`, { defaultValue: rest })
    return def.group === 'myCompany' ? t('requisiteOf.myCompany', { what }) : t('requisiteOf.client', { what })
  }

  /** A reference as a chip shows it: a constant's name, a field's label, "Public link · Create the contract". */
  const refWords = (graph: Graph, ref: Reference): string => {
    switch (ref.kind) {
      case 'constant':
        return graph.constants.find((c) => c.id === ref.id)?.name ?? t('ref.constant', { id: ref.id })
      case 'variable':
        return graph.variables.find((v) => v.id === ref.id)?.name ?? t('ref.variable', { id: ref.id })
      case 'field': {
        const def = fieldIndex(graph.elementType, graph.fields).get(ref.path)
        return def ? fieldLabel(def) : ref.path
      }
      case 'output': {
        // The output's own words are the catalog's.
        const place = findNode(graph, ref.node)
        const entry = place ? getCatalogEntry(place.node.type) : undefined
        const output =
          entry?.kind === 'rule' && place
            ? entry.outputs(place.node.settings as never).find((o) => o.name === ref.output)
            : undefined
        const label = place && output ? outputLabel(place.node.type, output) : ref.output
        return `${label} · ${place?.node.title ?? ref.node}`
      }
    }
  }

  const valueWords = (graph: Graph, value: Value): string => {
    if (value.kind === 'literal') return Array.isArray(value.value) ? value.value.join(', ') : String(value.value)
    if (value.kind === 'template')
      return value.parts.map((p) => (typeof p === 'string' ? p : `{${refWords(graph, p)}}`)).join('')
    return refWords(graph, value)
  }

  // i18n-dynamic: designer:conditionRow.
  const rowWords = (graph: Graph, row: ConditionRow): string => {
    const left = refWords(graph, row.left)
    const values = row.values.map((v) => valueWords(graph, v))
    const none = t('nothingYet')
    return t(`conditionRow.${row.op}`, {
      left,
      values: values.join(', ') || none,
      from: values[0] ?? none,
      to: values[1] ?? none,
      days: values[0] ?? none,
    })
  }

  /** A condition in words: "Amount > 5000", "Amount > 5000 and (Source = web or Source = ads)". */
  const conditionWords = (graph: Graph, group: ConditionGroup, nested = false): string => {
    const joiner = ` ${group.match === 'all' ? t('condition.and') : t('condition.or')} `
    const text = group.items
      .map((item) => ('match' in item ? conditionWords(graph, item, true) : rowWords(graph, item)))
      .join(joiner)
    return nested && group.items.length > 1 ? `(${text})` : text
  }

  /** "2 errors", else "1 warning", and the first finding's message. */
  const problemsText = (errors: number, warnings: number, first?: string) => {
    const count = errors > 0 ? t('count.error', { count: errors }) : t('count.warning', { count: warnings })
    return first ? `${count}: ${first}` : count
  }

  return {
    t,
    typeWord,
    typeLabel,
    groupWord,
    stageKind,
    elementTypes,
    operator,
    fieldLabel,
    refWords,
    valueWords,
    conditionWords,
    problemsText,
  }
}
