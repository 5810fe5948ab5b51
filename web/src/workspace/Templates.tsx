// Placeholder while the template editor is being written (helper-23 replaces this file).
export function Templates(_: { templateId?: string | undefined }) {
  return null
}
