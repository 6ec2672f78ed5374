import { ConfigurationError } from '../../core/errors.ts'

/** An assisted provider was asked to mint: no API creates its credentials, a person does. */
export class MintingNotAvailable extends ConfigurationError {}
