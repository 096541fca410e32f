import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import {
  App, CfnResource, CloudFormationValidatePlugin, DefaultStackSynthesizer, IPolicyValidationContext, ISynthesisSession, PolicyValidationPluginReport,
  PolicyValidationStack, Token,
} from 'aws-cdk-lib';
import { packageRoot } from '../../constructs/core/package-root';

/** Where the worker runs from, what it compiles first, and how long a synth waits for its report. */
export interface ParallelCloudFormationValidationOptions {
  /**
   * The worker's script.
   * @default bin/app/validation-worker.js
   */
  readonly workerFile?: string;
  /**
   * A file that keeps the resource types of the app's last synth, so that the worker compiles the
   * engine for them as soon as it starts, before the app has built its stacks. A type the file
   * misses is compiled in once the stacks are built, and the file then holds the new stacks' types.
   * @default none: the worker waits for the stacks
   */
  readonly typesFile?: string;
  /**
   * How long a synth waits for the worker's report before it gives the worker up and validates
   * the templates itself. A worker that fails answers at once.
   * @default 60 s
   */
  readonly waitMs?: number;
}

/** What the worker's signal holds: nothing yet, an answer on the port, or the worker gone. */
const IDLE = 0;
const ANSWERED = 1;

/**
 * The template resource every stack gets at synth, after its constructs are built, when the CLI
 * reports versions (its default): the engine must know its type too, or it is compiled again.
 */
const METADATA_TYPE = 'AWS::CDK::Metadata';

/** Where aws-cdk-lib keeps the default plugin it runs on every synth. */
const defaults = CloudFormationValidatePlugin as unknown as { _singletonInstance?: unknown; _instance?: CloudFormationValidatePlugin };

interface WorkerChannel {
  readonly worker: Worker;
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
 * it before. A worker that fails answers at once, and one that does not answer within `waitMs` is
 * given up; either way the templates are validated here, as without a worker.
 */
export class ParallelCloudFormationValidation extends CloudFormationValidatePlugin {
  /**
   * Starts the worker, before the app builds anything. Nothing starts with `CDK_VALIDATION=false`,
   * aws-cdk-lib's switch for its own validation, nor where aws-cdk-lib keeps its default plugin
   * other than this class knows: there the synth validates as it always does.
   */
  public static start(options: ParallelCloudFormationValidationOptions = {}): ParallelCloudFormationValidation | undefined {
    if (process.env.CDK_VALIDATION === 'false' || typeof defaults._singletonInstance !== 'function' || !('_instance' in defaults)) {
      return undefined;
    }
    return new ParallelCloudFormationValidation(options);
  }

  /** The channel to the worker, while it may still answer. */
  private channel?: WorkerChannel;
  /** The rule engine's version, as the worker reported it. */
  private workerVersion?: string;
  private readonly waitMs: number;
  private readonly typesFile?: string;
  private readonly warmedTypes: Set<string>;
  /** aws-cdk-lib's own default plugin, which this one stands in for, and which validates when the worker cannot. */
  private replaced?: CloudFormationValidatePlugin;

  private constructor(options: ParallelCloudFormationValidationOptions) {
    super();
    this.waitMs = options.waitMs ?? 60_000;
    this.typesFile = options.typesFile;
    this.warmedTypes = new Set(readTypes(options.typesFile));
    this.channel = startWorker(options.workerFile ?? path.join(packageRoot(), 'bin', 'app', 'validation-worker.js'));
    if (this.warmedTypes.size > 0) {
      this.channel?.port.postMessage({ resourceTypes: [...this.warmedTypes].sort() });
    }
  }

  /**
   * The stack synthesizer to make the app's stacks with (`new App({ defaultStackSynthesizer })`):
   * aws-cdk-lib's default one, which also hands the worker each template as soon as it is written,
   * so that the worker validates it while the synth goes on to cdk-nag's packs. The synth then
   * takes that report if it asks for exactly those templates, and waits for a new one otherwise.
   */
  public stackSynthesizer(): DefaultStackSynthesizer {
    const plugin = this;
    return new class extends DefaultStackSynthesizer {
      public synthesize(session: ISynthesisSession): void {
        super.synthesize(session);
        const stack = this.boundStack;
        const known = (value: string) => (Token.isUnresolved(value) ? undefined : value);
        plugin.channel?.port.postMessage({
          written: {
            stackConstructPath: stack.node.path, templatePath: path.join(session.outdir, stack.templateFile),
            accountId: known(stack.account), region: known(stack.region),
          } satisfies PolicyValidationStack,
        });
      }
    }();
  }

  /** The version of the engine that validated the templates, without loading the engine here. */
  public get version(): string | undefined {
    return this.workerVersion ?? this.ownPlugin().version;
  }

  /**
   * Makes this plugin the one aws-cdk-lib runs on every synth in place of its own default plugin,
   * once the app's stacks are built, and hands the worker any resource type of theirs it has not
   * compiled the engine for. As the default plugin it runs where aws-cdk-lib's would, after the
   * app's own plugins, and only where aws-cdk-lib's would (not with `builtinCloudFormationValidation: false`).
   */
  public addTo(app: App): void {
    if (defaults._instance !== this) {
      this.replaced = defaults._instance;
      defaults._instance = this;
    }
    const types = new Set([...app.node.findAll().filter(CfnResource.isCfnResource).map((resource) => resource.cfnResourceType), METADATA_TYPE]);
    if ([...types].some((type) => !this.warmedTypes.has(type))) {
      types.forEach((type) => this.warmedTypes.add(type));
      this.channel?.port.postMessage({ resourceTypes: [...this.warmedTypes].sort() });
    }
    writeTypes(this.typesFile, types);
  }

  /** Stops the worker, and gives aws-cdk-lib back its own default plugin for the next synth. */
  public dispose(): void {
    if (defaults._instance === this) {
      defaults._instance = this.replaced;
    }
    void this.channel?.worker.terminate();
    this.channel = undefined;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.channel && this.workerReport(this.channel, context);
    return report ?? this.ownPlugin().validate(context);
  }

  /** aws-cdk-lib's own default plugin, made if the app never had one. */
  private ownPlugin(): CloudFormationValidatePlugin {
    return (this.replaced ??= new CloudFormationValidatePlugin());
  }

  /** The worker's report; undefined if the worker failed, is gone, or did not answer in time. */
  private workerReport(channel: WorkerChannel, context: IPolicyValidationContext): PolicyValidationPluginReport | undefined {
    // a worker that is gone says so in the signal: only one that answered is made ready again
    const state = Atomics.compareExchange(channel.signal, 0, ANSWERED, IDLE);
    if (state !== ANSWERED && state !== IDLE) {
      return this.giveUp();
    }
    channel.port.postMessage({ context: { templatePaths: context.templatePaths, stackTemplates: context.stackTemplates } });
    // the synth is synchronous: block until the worker answers or ends
    Atomics.wait(channel.signal, 0, IDLE, this.waitMs);
    const answer = receiveMessageOnPort(channel.port)?.message;
    if (!answer) {
      return this.giveUp();
    }
    this.workerVersion = answer.version;
    return answer.report;
  }

  private giveUp(): undefined {
    void this.channel?.worker.terminate();
    this.channel = undefined;
    return undefined;
  }
}

/** The worker, or none if it cannot start: then the synth validates as it always does. */
function startWorker(workerFile: string): WorkerChannel | undefined {
  if (!fs.existsSync(workerFile)) {
    return undefined;
  }
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  // V8 would go on optimizing the engine's hot WebAssembly in background jobs, and node's main thread
  // waits for every thread's jobs each time its event loop empties, which is when aws-cdk-lib starts
  // the synth: the engine, compiled by the baseline compiler alone, leaves none.
  v8.setFlagsFromString('--liftoff-only');
  try {
    const worker = new Worker(workerFile, {
      workerData: { port: port2, signal, awsCdkLib: require.resolve('aws-cdk-lib') },
      transferList: [port2],
    });
    // it never keeps the app's process alive, and its failure is no error of the app's: it says it
    // is gone in the signal, and the synth validates the templates itself
    worker.unref();
    worker.on('error', () => {});
    return { worker, port: port1, signal };
  } catch {
    return undefined;
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

/**
 * Keeps the resource types of this synth's stacks for the next one, written beside the file and
 * renamed into place, so two synths at once never read half a list.
 */
function writeTypes(file: string | undefined, types: Set<string>): void {
  if (!file) {
    return;
  }
  try {
    const partial = `${file}.${crypto.randomUUID()}`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(partial, JSON.stringify([...types].sort()));
    fs.renameSync(partial, file);
  } catch {
    // the next synth starts its engine later, nothing more
  }
}
