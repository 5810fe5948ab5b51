import { createTheme } from '@mui/material/styles'

/** A calm theme: muted teal, warm grey surfaces, soft corners, the system font. */
export const theme = createTheme({
  palette: {
    mode: 'light',
    primary: { main: '#2f5d62', contrastText: '#ffffff' },
    secondary: { main: '#8a5a00' },
    background: { default: '#f5f6f4', paper: '#ffffff' },
    text: { primary: '#1f2a2c', secondary: '#4f5d60' },
    divider: '#dde2e0',
  },
  shape: { borderRadius: 10 },
  typography: {
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, "Liberation Sans", sans-serif',
    h1: { fontSize: '1.25rem', fontWeight: 600 },
    h2: { fontSize: '1.2rem', fontWeight: 600 },
    h3: { fontSize: '0.8rem', fontWeight: 700, letterSpacing: '0.06em', textTransform: 'uppercase' },
    button: { textTransform: 'none', fontWeight: 600 },
  },
  components: {
    MuiPaper: { defaultProps: { elevation: 0 } },
    MuiAppBar: { defaultProps: { elevation: 0, color: 'primary' } },
    MuiButton: { defaultProps: { disableElevation: true } },
    MuiChip: { styleOverrides: { root: { fontWeight: 600 } } },
  },
})

export const monospace =
  'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace'
