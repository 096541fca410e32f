import { Template } from 'aws-cdk-lib/assertions';

/*
 * A template's resources by what they are, for assertions that a value names one resource
 * exactly: `Ref` and `Fn::GetAtt` of the right logical id, not any resource of the type.
 */

/** The logical id of the one resource of `type` whose logical id starts with `prefix`. */
export function resourceId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) {
    throw new Error(`expected one ${type} whose logical id starts with ${prefix}, found ${ids.length}: ${ids.join(', ')}`);
  }
  return ids[0];
}

/** `{ Ref }` of the one resource of `type` whose id starts with `prefix`. */
export function refTo(template: Template, type: string, prefix: string): { Ref: string } {
  return { Ref: resourceId(template, type, prefix) };
}

/** `{ Fn::GetAtt }` of `attribute` of the one resource of `type` whose id starts with `prefix`. */
export function attributeOf(template: Template, type: string, prefix: string, attribute: string): { 'Fn::GetAtt': [string, string] } {
  return { 'Fn::GetAtt': [resourceId(template, type, prefix), attribute] };
}

/** A property of the one resource of `type` whose id starts with `prefix`, by its path of property names. */
export function propertyOf(template: Template, type: string, prefix: string, ...path: string[]): unknown {
  const resource = template.toJSON().Resources[resourceId(template, type, prefix)];
  return path.reduce((value: any, key) => value?.[key], resource.Properties);
}
