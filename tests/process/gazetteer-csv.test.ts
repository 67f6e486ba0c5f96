import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../support/server.js';
import { assertBuilt, startProcess } from './spawn.js';

describe('a mission gazetteer with a bad row', () => {
  beforeAll(() => assertBuilt());

  it('stops the server at start with exit 2, naming the file and line', async () => {
    const dataDir = tempDataDir();
    fs.mkdirSync(path.join(dataDir, 'gazetteer'));
    const file = path.join(dataDir, 'gazetteer', 'villages.csv');
    fs.writeFileSync(file, 'name,lat,lon,admin1,population\nStepove,48.19,37.70,Donetsk Oblast,120\nVodiane,48.12,,Donetsk Oblast,\n');
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await expect(startProcess({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'admin-password-123' })).rejects.toThrow(
      new RegExp(`exited with 2[\\s\\S]*${escaped}:3: lon must be a number in \\[-180, 180\\], got ""`),
    );
  });
});
