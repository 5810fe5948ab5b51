/** The few icons the page needs, as inline SVG (Material icon shapes, Apache 2.0). */
import SvgIcon, { type SvgIconProps } from '@mui/material/SvgIcon'

const PATHS = {
  error:
    'M11 15h2v2h-2zm0-8h2v6h-2zm.99-5C6.47 2 2 6.48 2 12s4.47 10 9.99 10C17.52 22 22 17.52 22 12S17.52 2 11.99 2M12 20c-4.42 0-8-3.58-8-8s3.58-8 8-8 8 3.58 8 8-3.58 8-8 8',
  warning: 'M12 5.99 19.53 19H4.47zM12 2 1 21h22zm1 14h-2v2h2zm0-6h-2v4h2z',
  block:
    'M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2M4 12c0-4.42 3.58-8 8-8 1.85 0 3.55.63 4.9 1.69L5.69 16.9C4.63 15.55 4 13.85 4 12m8 8c-1.85 0-3.55-.63-4.9-1.69L18.31 7.1C19.37 8.45 20 10.15 20 12c0 4.42-3.58 8-8 8',
  bolt: 'M11 21h-1l1-7H7.5c-.58 0-.57-.32-.38-.66s.05-.08.07-.12C8.48 10.94 10.42 7.54 13 3h1l-1 7h3.5c.49 0 .56.33.47.51l-.07.15C12.96 17.55 11 21 11 21',
  play: 'M8 5v14l11-7z',
  file: 'M14 2H6c-1.1 0-1.99.9-1.99 2L4 20c0 1.1.89 2 1.99 2H18c1.1 0 2-.9 2-2V8zm4 18H6V4h7v5h5zM8 15.01l1.41 1.41L11 14.84V19h2v-4.16l1.59 1.59L16 15.01 12.01 11z',
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
