// Public API of @fcn/bench: re-exports only.
export type {
  Backend, Cell, Config, Experiment, Json, MachineInfo, Metrics, Mode, Plot, Reading, ReportFile, ReportSection, RunContext, RunRecord, Table,
} from "./framework/types.js";
export {
  checkOptionIds, defineOptions, OptionError, optionsHelp, parseOptionAssignments, parseOptionValue, resolveOptions,
  type ExperimentOption, type OptionAssignment, type OptionCommand, type OptionValues,
} from "./framework/options.js";
export { activateDevice, BACKENDS, backendOf, checkDevice, deactivateDevice, parseBackend } from "./framework/device.js";
export { MODES } from "./framework/types.js";
export { applyReadings, atDefaults, checkReadingIds, parseReadingOptions, readingLabel, readingOf, selectReadings, type ReadingSelection } from "./framework/readings.js";
export { chanceBand, judge, UnitsError, undiagnosed, VERDICT_KINDS, verdictKindOf, type FigureEvidence, type ReadingSeries, type Verdict, type VerdictKind } from "./report/verdict.js";
export { comparisonCells, readingsCell, type JudgeOptions } from "./report/format.js";
export { configHash, parseShard, shardOf, stableStringify } from "./framework/hash.js";
export { compare, meanCurve, publishedDecimals, summarize, tQuantile975, type Comparison, type Summary } from "./framework/stats.js";
export { executeConfig, nonFiniteMetric } from "./framework/execute.js";
export { planJobs, prepareJobs, runSweep, workerEntry, type Job, type SweepEvent, type SweepOptions, type SweepResult } from "./framework/runner.js";
export {
  checkRecordFile, describeBadRecord, hasRecord, moveAside, readRecords, recordPath, scanRecords, writeFileAtomic, writeRecord,
  type BadRecord, type RecordFileCheck, type RecordScan,
} from "./framework/store.js";
export { mergeResults, type MergeOptions, type MergeSummary } from "./framework/merge.js";
export { checkRecordText, recordChecksum, sealRecord, type RecordCheck, type ShardTag, type StoredRecord } from "./framework/record.js";
export { FolderLockedError, MergeError, MissingFolderError, type LockHolder, type MergeConflict, type MissingShards, type UnfinishedShard } from "./framework/errors.js";
export { acquireFolderLock, lockPath, releaseAllLocks, withFolderLock, type FolderLock, type LockOptions } from "./framework/lock.js";
export { SHARD_PLAN_FILE, readShardPlan, type ShardPlan } from "./framework/shards.js";
export { csvWriter, recordsToCsv, type CsvWriter } from "./framework/csv.js";
export { differingMetrics, isMeasuredMetric, sampleRecords, verifyRecords, type Mismatch, type VerifyResult } from "./framework/verify.js";
export { EXPERIMENTS, experimentIds, findExperiment, selectExperiments } from "./experiments/registry.js";
export { writeReport, writeReportFiles, type ReportWritten, markdownTable, readingsNotes, verdictCells, verdictSummary, type ReportOptions, type VerdictCell } from "./report/report.js";
export { renderSvg } from "./report/render.js";
export { buildProgram, main, DEFAULT_SEEDS, workspaceRoot } from "./cli.js";
export {
  FRACTAL_REPORT_OPTIONS, FRACTAL_RUN_OPTIONS, FRACTAL_SPACE, type FractalReportOptions, type FractalRunConfig, type FractalRunOptions, type FractalVariant, QUICK_SAMPLE,
  type TrainOverrides, type TrainSettings, buildFractalModel, canonicalVariant, cifar10Directory, enumerateVariants, fractalGrid, fractalTables, fractalnet, generateVariants,
  modelConfig, plainWidth, readVariantFiles, runConfigs, runFractal, selectVariants, trainSettings, variantHash, writeVariantFiles,
} from "./experiments/fractalnet.js";
export { GPU_SLICE_COMMAND, SLICE_MARKERS, SLICE_SETTINGS, sliceRows, sliceSection, sliceTable, withSliceSection, type SliceRow } from "./experiments/fractalnetSlice.js";
export { FRONTIER_OPTIONS, frontierGrid, type FrontierOptions } from "./experiments/frontier.js";
export type { FractalBackend } from "./experiments/fractalnetBackend.js";
