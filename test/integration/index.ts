/**
 * Entry point VS Code loads as --extensionTestsPath: runs every *.test.js next to this file with
 * mocha inside the extension host, writes the counts for the runner and prints "N passed, N failed".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  if (process.env.BUDGETML_TEST_GREP) mocha.grep(process.env.BUDGETML_TEST_GREP);
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats ?? {};
      const results = process.env.BUDGETML_TEST_RESULTS;
      if (results) fs.writeFileSync(results, JSON.stringify({ passes, failures: failed, pending }));
      console.log(`${passes} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
      if (failures) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
