/** What the signed-in session may call (its role's API operations): the UI hides or disables the rest. */
import { createContext, useContext } from 'react'

export const MayContext = createContext<(operation: string) => boolean>(() => true)

/** `may('moveElement')`: true when this session may call that operation. */
export function useMay(): (operation: string) => boolean {
  return useContext(MayContext)
}
