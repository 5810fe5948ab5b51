/**
 * A PDF's pages drawn by pdf.js (in its own worker, served from our origin), each as wide as the column
 * allows, sharp on high-density phone screens. pdf.js is loaded only by the public pages.
 */
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Skeleton from '@mui/material/Skeleton'
import * as pdfjs from 'pdfjs-dist'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

pdfjs.GlobalWorkerOptions.workerSrc = new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url).toString()

export function PdfPages({ url, title }: { url: string; title: string }) {
  const { t } = useTranslation('public')
  const holder = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<'loading' | 'shown' | 'failed'>('loading')

  useEffect(() => {
    const element = holder.current
    if (!element) return
    let cancelled = false
    const task = pdfjs.getDocument({ url, isEvalSupported: false, disableAutoFetch: true })
    setState('loading')
    ;(async () => {
      const pdf = await task.promise
      element.replaceChildren()
      const width = element.clientWidth || 360
      const ratio = Math.min(window.devicePixelRatio || 1, 3)
      for (let n = 1; n <= pdf.numPages && !cancelled; n++) {
        const page = await pdf.getPage(n)
        const base = page.getViewport({ scale: 1 })
        const viewport = page.getViewport({ scale: (width / base.width) * ratio })
        const canvas = document.createElement('canvas')
        canvas.width = Math.floor(viewport.width)
        canvas.height = Math.floor(viewport.height)
        canvas.style.width = '100%'
        canvas.style.display = 'block'
        canvas.setAttribute('role', 'img')
        canvas.dataset.page = String(n)
        canvas.dataset.pages = String(pdf.numPages)
        const frame = document.createElement('div')
        frame.className = 'pdf-page'
        frame.append(canvas)
        element.append(frame)
        await page.render({ canvas, viewport }).promise
      }
      if (!cancelled) setState('shown')
    })().catch(() => {
      if (!cancelled) setState('failed')
    })
    return () => {
      cancelled = true
      void task.destroy()
    }
  }, [url])

  // Each page named in the page's language, now and whenever it changes (without drawing the pages again).
  useEffect(() => {
    if (state !== 'shown') return
    for (const canvas of holder.current?.querySelectorAll<HTMLCanvasElement>('canvas[data-page]') ?? []) {
      canvas.setAttribute(
        'aria-label',
        t('pdf.page', { title, page: canvas.dataset.page, pages: canvas.dataset.pages }),
      )
    }
  }, [state, title, t])

  return (
    <Box>
      {state === 'loading' && <Skeleton variant="rectangular" sx={{ width: '100%', height: 420, borderRadius: 1 }} />}
      {state === 'failed' && <Alert severity="warning">{t('pdf.failed')}</Alert>}
      <Box
        ref={holder}
        data-testid="pdf-pages"
        data-state={state}
        sx={{
          display: 'grid',
          gap: 1.5,
          '& .pdf-page': {
            bgcolor: '#fff',
            boxShadow: '0 1px 3px rgba(0,0,0,0.18)',
            borderRadius: 0.5,
            overflow: 'hidden',
          },
        }}
      />
    </Box>
  )
}
