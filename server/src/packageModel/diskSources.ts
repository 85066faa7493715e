// The package model's files on disk: a directory's `.go` files, each read the
// way the CLI reads files (too large, binary or unreadable files are left out).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readGoFile } from '../engine/readGoFile';
import type { PackageSources } from './packageWorkspace';

export const diskPackageSources: PackageSources = {
  listGoFiles(directory) {
    try {
      return fs
        .readdirSync(directory, { withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith('.go'))
        .map((entry) => path.join(directory, entry.name))
        .sort();
    } catch {
      return [];
    }
  },
  readGoFile(file) {
    const read = readGoFile(file);
    return 'text' in read ? read.text : undefined;
  },
};
