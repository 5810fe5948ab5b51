/**
 * The constants and variables manager: a constant is a value the analyst sets once (the director, the VAT
 * rate) and rules read; a variable is a value rules write while the flow runs, with an optional default.
 * Each row shows where it is used; deleting one that is used asks first, naming the rules that use it.
 * Every change is an undo step (typing in one field is one).
 */
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import IconButton from '@mui/material/IconButton'
import Link from '@mui/material/Link'
import MenuItem from '@mui/material/MenuItem'
import Stack from '@mui/material/Stack'
import Tab from '@mui/material/Tab'
import Tabs from '@mui/material/Tabs'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import {
  addDeclaration,
  changeDeclaration,
  type DeclarationKind,
  removeDeclaration,
  type Use,
  usesOf,
} from '../../../shared/designer/declarations.js'
import type { DesignerStore } from '../../../shared/designer/store.js'
import type { ConstantDecl, VariableDecl } from '../../../shared/graph/graph.js'
import { VALUE_TYPES, type ValueType } from '../../../shared/graph/vocabulary.js'
import type { Finding } from '../../../shared/validate/finding.js'
import { LiteralInput } from './ValuePicker.js'
import { useWords } from './words.js'

function Row({
  store,
  kind,
  decl,
  index,
  findings,
  onDelete,
  onShow,
}: {
  store: DesignerStore
  kind: DeclarationKind
  decl: ConstantDecl | VariableDecl
  index: number
  findings: readonly Finding[]
  onDelete: (uses: Use[]) => void
  onShow: (use: Use) => void
}) {
  const { t } = useTranslation('designer')
  const words = useWords()
  const graph = useStore(store, (s) => s.graph)
  const uses = usesOf(graph, kind, decl.id)
  const users = uses.filter((u, i) => uses.findIndex((v) => v.nodeId === u.nodeId) === i)
  const base = `/${kind === 'constant' ? 'constants' : 'variables'}/${index}`
  const finding = (part: string) =>
    findings.find((f) => f.path === `${base}/${part}` || f.path.startsWith(`${base}/${part}/`))
  const change = (what: string, c: Parameters<typeof changeDeclaration>[3]) =>
    store
      .getState()
      .edit(
        kind === 'constant'
          ? t('undo.changeConstant', { name: decl.name })
          : t('undo.changeVariable', { name: decl.name }),
        (g) => changeDeclaration(g, kind, decl.id, c),
        `${kind}:${decl.id}:${what}`,
      )
  const value = kind === 'constant' ? (decl as ConstantDecl).value : (decl as VariableDecl).default
  return (
    <Box
      role="group"
      aria-label={
        kind === 'constant'
          ? t('declarations.constantNamed', { name: decl.name })
          : t('declarations.variableNamed', { name: decl.name })
      }
      sx={{ display: 'grid', gap: 0.5, py: 1.25, borderBottom: '1px solid', borderColor: 'divider' }}
    >
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'flex-start' } }}>
        <TextField
          size="small"
          label={t('declarations.name')}
          value={decl.name}
          onChange={(e) => change('name', { name: e.target.value })}
          error={finding('name')?.severity === 'error'}
          helperText={finding('name')?.message}
          sx={{ flex: 1.4 }}
        />
        <TextField
          select
          size="small"
          label={t('declarations.type')}
          value={decl.type}
          onChange={(e) => change('type', { type: e.target.value as ValueType })}
          sx={{ flex: 1, minWidth: 120 }}
        >
          {VALUE_TYPES.map((type) => (
            <MenuItem key={type} value={type}>
              {words.typeLabel(type)}
            </MenuItem>
          ))}
        </TextField>
        <LiteralInput
          type={decl.type}
          label={kind === 'constant' ? t('declarations.value') : t('declarations.default')}
          value={value}
          error={finding(kind === 'constant' ? 'value' : 'default')?.severity === 'error'}
          helperText={finding(kind === 'constant' ? 'value' : 'default')?.message}
          onChange={(v) => change('value', { value: v })}
          sx={{ flex: 1.4, minWidth: 140 }}
        />
        <IconButton
          aria-label={
            kind === 'constant'
              ? t('declarations.deleteConstant', { name: decl.name })
              : t('declarations.deleteVariable', { name: decl.name })
          }
          onClick={() => onDelete(uses)}
          sx={{ alignSelf: { xs: 'flex-end', sm: 'center' } }}
        >
          ×
        </IconButton>
      </Stack>
      <Typography variant="caption" color="text.secondary">
        <code>{decl.id}</code> ·{' '}
        {uses.length === 0
          ? t('declarations.notUsed')
          : [
              `${t('declarations.usedBy')} `,
              ...users.flatMap((use, i) => [
                i > 0 ? ', ' : '',
                <Link
                  key={use.path}
                  component="button"
                  type="button"
                  variant="caption"
                  onClick={() => onShow(use)}
                  sx={{ verticalAlign: 'baseline' }}
                >
                  {use.title}
                </Link>,
              ]),
            ]}
      </Typography>
    </Box>
  )
}

/** The manager, as a dialog opened from the toolbar. */
export function DeclarationsDialog({
  store,
  findings,
  open,
  onClose,
}: {
  store: DesignerStore
  findings: readonly Finding[]
  open: boolean
  onClose: () => void
}) {
  const { t } = useTranslation('designer')
  const words = useWords()
  const graph = useStore(store, (s) => s.graph)
  const [kind, setKind] = useState<DeclarationKind>('constant')
  const [name, setName] = useState('')
  const [type, setType] = useState<ValueType>('text')
  const [deleting, setDeleting] = useState<{ decl: ConstantDecl | VariableDecl; uses: Use[] } | undefined>()
  const list = kind === 'constant' ? graph.constants : graph.variables
  const constant = kind === 'constant'

  const add = () => {
    const trimmed = name.trim()
    if (!trimmed) return
    store
      .getState()
      .edit(constant ? t('undo.addConstant', { name: trimmed }) : t('undo.addVariable', { name: trimmed }), (g) =>
        addDeclaration(g, kind, trimmed, type),
      )
    setName('')
  }
  const remove = (decl: ConstantDecl | VariableDecl) => {
    store
      .getState()
      .edit(
        constant ? t('undo.deleteConstant', { name: decl.name }) : t('undo.deleteVariable', { name: decl.name }),
        (g) => removeDeclaration(g, kind, decl.id),
      )
    setDeleting(undefined)
  }

  return (
    <>
      <Dialog open={open} onClose={onClose} fullWidth maxWidth="md" aria-labelledby="declarations-title">
        <DialogTitle id="declarations-title">{t('declarations.title')}</DialogTitle>
        <DialogContent>
          <Tabs value={kind} onChange={(_, k: DeclarationKind) => setKind(k)} sx={{ mb: 1 }}>
            <Tab value="constant" label={t('declarations.constants', { n: graph.constants.length })} />
            <Tab value="variable" label={t('declarations.variables', { n: graph.variables.length })} />
          </Tabs>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {constant ? t('declarations.constantsLead') : t('declarations.variablesLead')}
          </Typography>
          {list.length === 0 && (
            <Typography color="text.secondary" sx={{ py: 2 }}>
              {constant ? t('declarations.noConstants') : t('declarations.noVariables')}
            </Typography>
          )}
          {list.map((decl, index) => (
            <Row
              key={decl.id}
              store={store}
              kind={kind}
              decl={decl}
              index={index}
              findings={findings}
              onDelete={(uses) => (uses.length > 0 ? setDeleting({ decl, uses }) : remove(decl))}
              onShow={(use) => {
                store.getState().select([use.nodeId])
                onClose()
              }}
            />
          ))}
          <Stack
            direction={{ xs: 'column', sm: 'row' }}
            spacing={1}
            sx={{ mt: 2, alignItems: { sm: 'center' } }}
            component="form"
            onSubmit={(e) => {
              e.preventDefault()
              add()
            }}
          >
            <TextField
              size="small"
              label={constant ? t('declarations.newConstant') : t('declarations.newVariable')}
              value={name}
              onChange={(e) => setName(e.target.value)}
              sx={{ flex: 1.4 }}
            />
            <TextField
              select
              size="small"
              label={t('declarations.type')}
              value={type}
              onChange={(e) => setType(e.target.value as ValueType)}
              sx={{ flex: 1, minWidth: 120 }}
            >
              {VALUE_TYPES.map((type) => (
                <MenuItem key={type} value={type}>
                  {words.typeLabel(type)}
                </MenuItem>
              ))}
            </TextField>
            <Button type="submit" variant="outlined" disabled={!name.trim()}>
              {constant ? t('declarations.addConstant') : t('declarations.addVariable')}
            </Button>
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{t('action.done')}</Button>
        </DialogActions>
      </Dialog>
      <Dialog open={deleting !== undefined} onClose={() => setDeleting(undefined)} maxWidth="xs">
        <DialogTitle>{t('declarations.deleteTitle', { name: deleting?.decl.name })}</DialogTitle>
        <DialogContent>
          <DialogContentText>
            {t('declarations.deleteText', {
              names: [...new Set(deleting?.uses.map((u) => `“${u.title}”`))].join(', '),
            })}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleting(undefined)}>{t('declarations.keep')}</Button>
          <Button color="error" variant="contained" onClick={() => deleting && remove(deleting.decl)}>
            {t('action.delete')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  )
}
