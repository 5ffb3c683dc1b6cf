// The Standard Schema interface (standardschema.dev), as its authors ask libraries to copy it
// rather than depend on a package: valibot, zod and arktype schemas all implement it, so a
// plugin checks its payloads with whichever the host already uses.

/** A schema of any Standard Schema library (valibot, zod, arktype...) that checks a value into `Output`. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** What a Standard Schema's `validate` answers: the value, or the issues found. */
export type StandardResult<Output> =
  { readonly value: Output; readonly issues?: undefined } | { readonly issues: ReadonlyArray<StandardIssue> };

/** One problem a Standard Schema found, with where in the value it is. */
export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}
