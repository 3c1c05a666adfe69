import { dirname } from 'node:path';
import type { Project, SourceFile } from 'ts-morph';
import { type Delivery, generatedDelivery, type ModuleFormat } from '../runtime/module-source.js';
import { formatOf } from './module-format.js';
import { findProcessCampaigns, type ProcessCampaign } from './process-campaign.js';
import { configFor, readingOptions, sharedProject } from './project.js';
import { findSinks, type Sink } from './sinks.js';

/** One source file of the worker, as read. */
export interface WorkerFile {
  readonly path: string;
  readonly text: string;
  readonly source: SourceFile;
  readonly format: ModuleFormat;
  /** Set for a `server-updates` module a codemod wrote: which package it delivers with. */
  readonly generated: Delivery | undefined;
}

/**
 * The read-only model of a legacy worker that both transforms plan from: its files, its update sinks (every call
 * that sends events or a status to the main server, clients told apart by type across files), the
 * `processCampaign`s it defines, and the modules an earlier codemod run generated.
 */
export interface LegacyWorker {
  readonly project: Project;
  readonly files: ReadonlyMap<string, WorkerFile>;
  readonly sinks: readonly Sink[];
  readonly processCampaigns: readonly ProcessCampaign[];
  /** Removes the worker's files from the shared project. */
  dispose(): void;
}

/**
 * Reads a worker's files (absolute paths and their text) into the model. The files are added to a ts-morph project
 * shared by every tree read with the same options, so the declarations of the libraries they use are parsed once.
 */
export function readLegacyWorker(files: ReadonlyArray<{ path: string; text: string }>): LegacyWorker {
  const first = files[0]?.path;
  const project = sharedProject(readingOptions(first ? configFor(dirname(first)) : undefined));
  const added: SourceFile[] = [];
  const model = new Map<string, WorkerFile>();
  for (const { path, text } of files) {
    const source = project.createSourceFile(path, text, { overwrite: true });
    added.push(source);
    model.set(path, { path, text, source, format: formatOf(path, source), generated: generatedDelivery(text) });
  }
  const sinks: Sink[] = [];
  const processCampaigns: ProcessCampaign[] = [];
  for (const file of model.values()) {
    if (file.generated) continue;
    sinks.push(...findSinks(file.source, file.path));
    processCampaigns.push(...findProcessCampaigns(file.source, file.path));
  }
  return {
    project,
    files: model,
    sinks,
    processCampaigns,
    dispose() {
      for (const source of added) if (!source.wasForgotten()) project.removeSourceFile(source);
    },
  };
}
