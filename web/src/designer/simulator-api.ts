/**
 * What the simulator reads from the server: real elements of the pipeline, to copy as samples ("what would
 * this draft have done to deal #42?"), and their client. Only GET requests: a dry run changes nothing.
 */
import type { Json } from '../../../shared/engine/types.js'
import type { DocumentType } from '../../../shared/graph/vocabulary.js'
import type { SampleElement } from '../../../shared/simulator/session.js'
import { call } from '../api.js'

export interface ElementSummary {
  id: string
  title: string
  stage: string | null
}

export async function fetchPipelineElements(pipelineId: string, signal?: AbortSignal): Promise<ElementSummary[]> {
  const page = await call<{ items: ElementSummary[] }>(
    `/api/elements?pipeline=${encodeURIComponent(pipelineId)}&limit=100`,
    signal ? { signal } : {},
  )
  return page.items
}

interface ElementView {
  id: string
  stage: string | null
  fields: Record<string, Json>
  responsible: string | null
  contactId: string | null
}

interface ContactView {
  name: string
  email: string | null
  phone: string | null
}

/** A real element as a sample: its fields, its responsible person and its client's contact data. */
export async function sampleFromElement(id: string): Promise<SampleElement> {
  const element = await call<ElementView>(`/api/elements/${encodeURIComponent(id)}`)
  const fields: Record<string, Json> = { ...element.fields }
  if (element.responsible) fields.responsible = element.responsible
  if (element.contactId) {
    const contact = await call<ContactView>(`/api/contacts/${encodeURIComponent(element.contactId)}`)
    fields['client.name'] = contact.name
    if (contact.email) fields['client.email'] = contact.email
    if (contact.phone) fields['client.phone'] = contact.phone
  }
  return { id: element.id, stage: element.stage, fields }
}

interface TemplateSummary {
  id: string
  type: DocumentType
}

/** The app's templates with their document type, so a dry run knows what each rule's template makes. */
export async function fetchTemplateTypes(signal?: AbortSignal): Promise<Array<{ id: string; type: DocumentType }>> {
  const page = await call<{ items: TemplateSummary[] }>('/api/templates', signal ? { signal } : {})
  return page.items.map((t) => ({ id: t.id, type: t.type }))
}
