import { workerModule } from './worker-modules';

/**
 * asl-validator (it ships no types; it returns `{ isValid, errors }`), loaded once per worker.
 * It builds a new Ajv with its schemas for every definition, and compiling them took a sixth of
 * a scheduler suite's time: here every call gets the first Ajv built with the same schemas, whose
 * compiled schemas it keeps (the formats and keywords it adds each time are the same ones).
 */
export const validateAsl: (definition: unknown) => { isValid: boolean; errors: unknown[] } = (() => {
  const ajv = workerModule('ajv');
  if (!ajv.default.oneInstance) {
    const Ajv = ajv.default;
    const instances = new Map<string, unknown>();
    class OneAjv extends Ajv {
      static readonly oneInstance = true;
      constructor(options: any = {}) {
        const key = JSON.stringify({ ...options, schemas: (options.schemas ?? []).map((schema: any) => schema.$id) });
        if (instances.has(key)) {
          return instances.get(key) as OneAjv;
        }
        super(options);
        instances.set(key, this);
      }
      addKeyword(definition: any): any {
        const name = typeof definition === 'string' ? definition : definition.keyword;
        return [name].flat().every((k: string) => this.getKeyword(k)) ? this : super.addKeyword(definition);
      }
    }
    ajv.default = OneAjv;
  }
  return workerModule('asl-validator');
})();
