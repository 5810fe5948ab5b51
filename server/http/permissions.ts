/**
 * Who may call which endpoint: ONE table, checked for every operation of `api-spec.ts` once the caller is
 * known (a session or an API token; tokens act with the role they were made for). The compiler requires a
 * row for every operation. `public` operations authenticate their callers themselves (a webhook's secret).
 *
 * - readOnly: reads what the sales and design screens show (not the audit log, not secrets);
 * - sales: works elements (create, move, change, events), contacts and companies, uploads files;
 * - analyst: designs, publishes and rolls back flows, changes constants, manages incoming webhooks;
 * - admin: everything, including users, my companies, outgoing webhooks and the audit log.
 */
import type { Role } from '../auth/auth.js'
import type { OperationId } from './api-spec.js'

const everyone: readonly Role[] = ['admin', 'analyst', 'sales', 'readOnly']
const sales: readonly Role[] = ['admin', 'sales']
const design: readonly Role[] = ['admin', 'analyst']
const admin: readonly Role[] = ['admin']
/** Who reads flows (getFlow) — and so their stored scenarios. */
const readsFlows = everyone
/** Who saves drafts (saveDraft) — and so the scenarios stored next to them, and the simulator's template previews. */
const savesDrafts = design

export const PERMISSIONS: { readonly [K in OperationId]: readonly Role[] | 'public' } = {
  // pipelines and flows
  listPipelines: everyone,
  createPipeline: design,
  getPipeline: everyone,
  getFlow: readsFlows,
  saveDraft: savesDrafts,
  publishVersion: design,
  listVersions: everyone,
  getVersion: everyone,
  diffVersions: everyone,
  rollback: design,
  listConstants: everyone,
  setConstant: design,
  // the simulator's scenarios: read as flows are, written as drafts are
  listScenarios: readsFlows,
  saveScenario: savesDrafts,
  deleteScenario: savesDrafts,
  // elements
  listElements: everyone,
  getBoard: everyone,
  createElement: sales,
  getElement: everyone,
  moveElement: sales,
  // who may move elements may run a failed rule again
  retryRule: sales,
  changeFields: sales,
  fireEvent: sales,
  elementHistory: everyone,
  elementAuditTrail: ['admin', 'sales'],
  elementAuditTrailPdf: ['admin', 'sales'],
  // incoming webhooks: the listing makes and shows secrets
  listWebhooks: design,
  rotateWebhookSecret: design,
  callWebhook: 'public',
  // what the runtime did
  listAudit: admin,
  listOutbox: everyone,
  listMessages: everyone,
  listNotifications: everyone,
  listTasks: everyone,
  // the inbox: one's own notifications and tasks (the handlers check whose)
  markNotificationRead: everyone,
  completeTask: everyone,
  // directory
  listContacts: everyone,
  createContact: sales,
  getContact: everyone,
  updateContact: sales,
  deleteContact: sales,
  listCompanies: everyone,
  createCompany: sales,
  getCompany: everyone,
  updateCompany: sales,
  deleteCompany: sales,
  listMyCompanies: everyone,
  createMyCompany: admin,
  getMyCompany: everyone,
  updateMyCompany: admin,
  putMyCompanyImage: admin,
  getMyCompanyImage: everyone,
  deleteMyCompanyImage: admin,
  listUsers: everyone,
  createUser: admin,
  getUser: everyone,
  updateUser: admin,
  // files
  uploadFile: ['admin', 'analyst', 'sales'],
  getFile: everyone,
  // outgoing webhooks
  listSubscriptions: admin,
  createSubscription: admin,
  getSubscription: admin,
  updateSubscription: admin,
  deleteSubscription: admin,
  listSubscriptionDeliveries: admin,
  // the caller and API tokens (a token's maker may revoke it; see the handlers)
  getMe: everyone,
  changeMyPassword: everyone,
  listTokens: everyone,
  createToken: everyone,
  revokeToken: everyone,
  setUserPassword: admin,
  // documents and their templates (public links are opened by their token alone)
  listTemplates: everyone,
  getTemplate: everyone,
  createTemplate: ['admin', 'analyst', 'sales'],
  updateTemplate: ['admin', 'analyst', 'sales'],
  // a template drawn for the simulator, writing nothing: whoever designs flows (sales make real documents)
  previewTemplate: savesDrafts,
  listDocuments: everyone,
  getDocument: everyone,
  getDocumentPdf: everyone,
  makeDocument: sales,
  createPublicLink: sales,
  revokePublicLink: sales,
  getPublicDocument: 'public',
  getPublicDocumentPdf: 'public',
  sendForSigning: sales,
  getSigning: 'public',
  getSigningPdf: 'public',
  consentToSign: 'public',
  signDocument: 'public',
  declineSigning: 'public',
  sendSigningCode: 'public',
  suggestReuse: everyone,
  verifyPdf: 'public',
  getSealingCertificate: admin,
  replaceSealingCertificate: admin,
}
