/**
 * The files every cloud recording serves: a small MP4 (video and audio), an M4A (audio only) and a
 * WebVTT transcript, shipped in assets/recordings/ (its README says how they were made). Read once,
 * on first use; a recording's rows name the asset each file serves.
 */
import fs from 'node:fs';

const DIR = new URL('../../assets/recordings/', import.meta.url);

export interface RecordingAsset {
  /** The file name in assets/recordings/, stored on each file row. */
  name: string;
  fileType: 'MP4' | 'M4A' | 'TRANSCRIPT';
  fileExtension: 'MP4' | 'M4A' | 'VTT';
  recordingType: string;
  contentType: string;
}

/** In the order a recording lists its files. */
export const RECORDING_ASSETS: readonly RecordingAsset[] = [
  {
    name: 'recording.mp4',
    fileType: 'MP4',
    fileExtension: 'MP4',
    recordingType: 'shared_screen_with_speaker_view',
    contentType: 'video/mp4',
  },
  {
    name: 'audio.m4a',
    fileType: 'M4A',
    fileExtension: 'M4A',
    recordingType: 'audio_only',
    contentType: 'audio/mp4',
  },
  {
    name: 'transcript.vtt',
    fileType: 'TRANSCRIPT',
    fileExtension: 'VTT',
    recordingType: 'audio_transcript',
    contentType: 'text/vtt; charset=utf-8',
  },
];

const sizes = new Map<string, number>();

export function assetNamed(name: string): RecordingAsset | undefined {
  return RECORDING_ASSETS.find((a) => a.name === name);
}

/** The asset's size in bytes (its `file_size`). */
export function assetSize(asset: RecordingAsset): number {
  let size = sizes.get(asset.name);
  if (size === undefined) {
    size = fs.statSync(new URL(asset.name, DIR)).size;
    sizes.set(asset.name, size);
  }
  return size;
}

/** A stream of the asset's bytes. */
export function assetStream(asset: RecordingAsset): fs.ReadStream {
  return fs.createReadStream(new URL(asset.name, DIR));
}
