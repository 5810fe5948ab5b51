/** The icons the app needs, as inline SVG (Material icon shapes, Apache 2.0). */
import SvgIcon, { type SvgIconProps } from '@mui/material/SvgIcon'

const PATHS = {
  error:
    'M11 15h2v2h-2zm0-8h2v6h-2zm.99-5C6.47 2 2 6.48 2 12s4.47 10 9.99 10C17.52 22 22 17.52 22 12S17.52 2 11.99 2M12 20c-4.42 0-8-3.58-8-8s3.58-8 8-8 8 3.58 8 8-3.58 8-8 8',
  warning: 'M12 5.99 19.53 19H4.47zM12 2 1 21h22zm1 14h-2v2h2zm0-6h-2v4h2z',
  block:
    'M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2M4 12c0-4.42 3.58-8 8-8 1.85 0 3.55.63 4.9 1.69L5.69 16.9C4.63 15.55 4 13.85 4 12m8 8c-1.85 0-3.55-.63-4.9-1.69L18.31 7.1C19.37 8.45 20 10.15 20 12c0 4.42-3.58 8-8 8',
  bolt: 'M11 21h-1l1-7H7.5c-.58 0-.57-.32-.38-.66s.05-.08.07-.12C8.48 10.94 10.42 7.54 13 3h1l-1 7h3.5c.49 0 .56.33.47.51l-.07.15C12.96 17.55 11 21 11 21',
  play: 'M8 5v14l11-7z',
  mail: 'M22 6c0-1.1-.9-2-2-2H4c-1.1 0-2 .9-2 2v12c0 1.1.9 2 2 2h16c1.1 0 2-.9 2-2zm-2 0-8 5-8-5zm0 12H4V8l8 5 8-5z',
  sms: 'M20 2H4c-1.1 0-1.99.9-1.99 2L2 22l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2M9 11H7V9h2zm4 0h-2V9h2zm4 0h-2V9h2z',
  refresh:
    'M17.65 6.35C16.2 4.9 14.21 4 12 4c-4.42 0-7.99 3.58-7.99 8s3.57 8 7.99 8c3.73 0 6.84-2.55 7.73-6h-2.08c-.82 2.33-3.04 4-5.65 4-3.31 0-6-2.69-6-6s2.69-6 6-6c1.66 0 3.14.69 4.22 1.78L13 11h7V4z',
  expandMore: 'M16.59 8.59 12 13.17 7.41 8.59 6 10l6 6 6-6z',
  inbox:
    'M19 3H4.99c-1.11 0-1.98.89-1.98 2L3 19c0 1.1.88 2 1.99 2H19c1.1 0 2-.9 2-2V5c0-1.11-.9-2-2-2m0 12h-4c0 1.66-1.35 3-3 3s-3-1.34-3-3H4.99V5H19z',
  file: 'M14 2H6c-1.1 0-1.99.9-1.99 2L4 20c0 1.1.89 2 1.99 2H18c1.1 0 2-.9 2-2V8zm4 18H6V4h7v5h5zM8 15.01l1.41 1.41L11 14.84V19h2v-4.16l1.59 1.59L16 15.01 12.01 11z',
  download: 'M19 9h-4V3H9v6H5l7 7zM5 18v2h14v-2z',
  checkCircle:
    'M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2m-2 15-5-5 1.41-1.41L10 14.17l7.59-7.59L19 8z',
} as const

function PathIcon({ d, ...props }: SvgIconProps & { d: string }) {
  return (
    <SvgIcon {...props}>
      <path d={d} />
    </SvgIcon>
  )
}

export const ErrorIcon = (props: SvgIconProps) => <PathIcon d={PATHS.error} {...props} />
export const WarningIcon = (props: SvgIconProps) => <PathIcon d={PATHS.warning} {...props} />
export const BlockIcon = (props: SvgIconProps) => <PathIcon d={PATHS.block} {...props} />
export const BoltIcon = (props: SvgIconProps) => <PathIcon d={PATHS.bolt} {...props} />
export const RuleIcon = (props: SvgIconProps) => <PathIcon d={PATHS.play} {...props} />
export const FileIcon = (props: SvgIconProps) => <PathIcon d={PATHS.file} {...props} />
export const MailIcon = (props: SvgIconProps) => <PathIcon d={PATHS.mail} {...props} />
export const SmsIcon = (props: SvgIconProps) => <PathIcon d={PATHS.sms} {...props} />
export const RefreshIcon = (props: SvgIconProps) => <PathIcon d={PATHS.refresh} {...props} />
export const ExpandMoreIcon = (props: SvgIconProps) => <PathIcon d={PATHS.expandMore} {...props} />
export const InboxIcon = (props: SvgIconProps) => <PathIcon d={PATHS.inbox} {...props} />
export const DownloadIcon = (props: SvgIconProps) => <PathIcon d={PATHS.download} {...props} />
export const CheckCircleIcon = (props: SvgIconProps) => <PathIcon d={PATHS.checkCircle} {...props} />
