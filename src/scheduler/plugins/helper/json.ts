// The JSON kinds encoding/json names in its UnmarshalTypeError ("json: cannot unmarshal string into
// Go struct field ... of type int32"), for plugin arguments and scheduler configurations decoded
// as upstream's strict decoder does.

/** The JSON value kind as Go's encoding/json words it (`number 3` for numbers bound for an int is
 *  left to the caller, which knows the Go type). */
export function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}
