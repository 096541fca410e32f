import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import { App, CfnResource, CloudFormationValidatePlugin, IPolicyValidationContext, PolicyValidationPluginReport, Validations } from 'aws-cdk-lib';
import { packageRoot } from '../../constructs/core/handler-bundles';

/** Where the worker runs from, what it compiles first, and how long a synth waits for its report. */
export interface ParallelValidationOptions {
  /**
   * The worker's script.
   * @default bin/app/validation-worker.js
   */
  readonly workerFile?: string;
  /**
   * A file that keeps the resource types of the app's earlier synths, so that the worker compiles
   * the engine for them as soon as it starts, before the app has built its stacks. A type the file
   * misses is compiled in when the stacks are built.
   * @default none: the worker waits for the stacks
   */
  readonly typesFile?: string;
  /**
   * How long a synth waits for the worker's report before it validates the templates itself.
   * @default 60 s
   */
  readonly waitMs?: number;
}

interface WorkerChannel {
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

/**
 * aws-cdk-lib's CloudFormation rule validation, run on a second core. Every synth validates its
 * templates with aws-cdk-lib's CloudFormationValidatePlugin, on the thread that synthesizes; for the
 * default stack that is a second and a half, most of it compiling the rule engine for the stack's
 * resource types. This plugin starts the same plugin in a worker thread when the app starts: the
 * engine is compiled while the app builds its stacks and cdk-nag checks them, and the synth waits
 * only for what is left. The report is the worker plugin's own, so what fails a synth is what failed
 * it before; if the worker does not answer, the templates are validated here, as without it.
 */
export class ParallelCloudFormationValidation extends CloudFormationValidatePlugin {
  /**
   * Starts the worker, before the app builds anything, or nothing with `CDK_VALIDATION=false`,
   * aws-cdk-lib's switch for its own validation.
   */
  public static start(options: ParallelValidationOptions = {}): ParallelCloudFormationValidation | undefined {
    return process.env.CDK_VALIDATION === 'false' ? undefined : new ParallelCloudFormationValidation(options);
  }

  /** The channel to the worker, while it may still answer. */
  private worker?: WorkerChannel;
  /** The rule engine's version, as the worker reported it. */
  private workerVersion?: string;
  private readonly waitMs: number;
  private readonly typesFile?: string;
  private readonly knownTypes: string[];

  private constructor(options: ParallelValidationOptions) {
    super();
    this.waitMs = options.waitMs ?? 60_000;
    this.typesFile = options.typesFile;
    this.knownTypes = readTypes(options.typesFile);
    const workerFile = options.workerFile ?? path.join(packageRoot(), 'bin', 'app', 'validation-worker.js');
    if (!fs.existsSync(workerFile)) {
      return;
    }
    const channel = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerFile, {
      workerData: { port: channel.port2, signal, awsCdkLib: require.resolve('aws-cdk-lib') },
      transferList: [channel.port2],
    });
    // it never keeps the app's process alive, and its failure is no error of the app's: what it has
    // not done, the synth does itself
    worker.unref();
    worker.on('error', () => {});
    this.worker = { port: channel.port1, signal };
    if (this.knownTypes.length > 0) {
      this.worker.port.postMessage({ resourceTypes: this.knownTypes });
    }
  }

  /** The version of the engine that validated the templates, without loading the engine here. */
  public get version(): string | undefined {
    return this.workerVersion ?? super.version;
  }

  /** One id of the engine's whole rule set, by its version, as aws-cdk-lib's plugin gives it. */
  public get ruleIds(): string[] | undefined {
    return this.workerVersion ? [this.workerVersion] : super.ruleIds;
  }

  /**
   * Registers the plugin on `app`, in place of the default one aws-cdk-lib would add, once the app's
   * stacks are built, and hands the worker any resource type of theirs it has not compiled the engine
   * for. Plugins run in the order they are added: added after the rule packs, it is the last the
   * synth waits for.
   */
  public addTo(app: App): void {
    Validations.of(app).addPlugins(this);
    const types = new Set(app.node.findAll().filter(CfnResource.isCfnResource).map((resource) => resource.cfnResourceType));
    const all = [...new Set([...this.knownTypes, ...types])].sort();
    if (all.length > this.knownTypes.length) {
      this.worker?.port.postMessage({ resourceTypes: all });
      writeTypes(this.typesFile, all);
    }
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.worker && this.workerReport(this.worker, context);
    return report ?? super.validate(context);
  }

  /** The worker's report; undefined if it failed, or did not answer in time and is given up. */
  private workerReport(worker: WorkerChannel, context: IPolicyValidationContext): PolicyValidationPluginReport | undefined {
    Atomics.store(worker.signal, 0, 0);
    worker.port.postMessage({ context: { templatePaths: context.templatePaths, stackTemplates: context.stackTemplates } });
    // the synth is synchronous: block until the worker says it has answered
    if (Atomics.wait(worker.signal, 0, 0, this.waitMs) === 'timed-out') {
      this.worker = undefined;
      return undefined;
    }
    const answer = receiveMessageOnPort(worker.port)?.message;
    this.workerVersion = answer?.version;
    return answer?.report;
  }
}

function readTypes(file: string | undefined): string[] {
  try {
    const types = file ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
    return Array.isArray(types) ? types.filter((type) => typeof type === 'string') : [];
  } catch {
    return [];
  }
}

/** Writes the types beside their file and renames them into place, so two synths at once never read half a list. */
function writeTypes(file: string | undefined, types: string[]): void {
  if (!file) {
    return;
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(types));
    fs.renameSync(`${file}.${process.pid}`, file);
  } catch {
    // the next synth starts its engine later, nothing more
  }
}
