// The declaration of the generated validator (scripts/compile-validators.ts).
import type { ValidateFunction } from 'ajv'
export declare const validate: ValidateFunction
export default validate
