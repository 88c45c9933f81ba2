// checkFeatureRequirements: the runtime's lists for a recent desktop browser, a mobile one and an old one,
// and its browser detection (client hints when they have come, else the user-agent tables).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserDetector, checkFeatureRequirements } from '../../src/preview/feature-requirements.js';

const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.114 Safari/537.36';
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 14_8 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.1.2 Mobile/15E148 Safari/604.1';
const OLD_CHROME_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.113 Safari/537.36';

const ALL = ['Virtual Background', 'Share Chrome Tab Audio', 'Screen Share (send)', '720p Video (receive)', 'Share 2nd Camera', 'Audio', 'Video', 'Screen Share (receive)', 'Chat', 'Closed Captioning', 'Live Transcription', 'Live Translation', 'Cloud Recording', 'Call Out (PSTN)', 'Command Channel', 'RTMP Live Streaming', 'Encryption', '720p Video (send)', 'Render Multiple Videos'];

const hinted = (brands, extra = {}) => ({
  userAgent: CHROME_UA,
  userAgentData: { getHighEntropyValues: async () => ({ brands, platform: 'Linux', platformVersion: '6.1', ...extra }) },
});

test('Chromium with client hints: everything supported, platform "Chromium" and the major version', async () => {
  const detector = new BrowserDetector(hinted([{ brand: 'Chromium', version: '156' }, { brand: 'Not_A Brand', version: '24' }]));
  await new Promise((resolve) => setImmediate(resolve));
  const answer = checkFeatureRequirements(detector.browserInfo());
  assert.deepEqual(answer, { platform: 'Chromium156', supportFeatures: ALL, unSupportFeatures: [] });
});

test('Google Chrome hints name the browser by its brand', async () => {
  const detector = new BrowserDetector(hinted([{ brand: 'Google Chrome', version: '156' }, { brand: 'Chromium', version: '156' }]));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(checkFeatureRequirements(detector.browserInfo()).platform, 'Google Chrome156');
});

test('read before the hints come, the user agent decides, and the answer is kept', async () => {
  const detector = new BrowserDetector(hinted([{ brand: 'Chromium', version: '156' }]));
  assert.equal(checkFeatureRequirements(detector.browserInfo()).platform, 'Chrome156.0.8078.114');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(checkFeatureRequirements(detector.browserInfo()).platform, 'Chrome156.0.8078.114');
});

test('Firefox (no client hints): supported, no tab audio', () => {
  const answer = checkFeatureRequirements(new BrowserDetector({ userAgent: FIREFOX_UA }).browserInfo());
  assert.equal(answer.platform, 'Firefox140.0');
  assert.deepEqual(answer.unSupportFeatures, ['Share Chrome Tab Audio']);
});

test('an iPhone on iOS 14: the OS floor is 15, platform is the OS', () => {
  const answer = checkFeatureRequirements(new BrowserDetector({ userAgent: IPHONE_UA }).browserInfo());
  assert.equal(answer.platform, 'iOS14.8');
  assert.ok(answer.unSupportFeatures.includes('Audio'));
  assert.ok(answer.unSupportFeatures.includes('Virtual Background'));
  assert.deepEqual(answer.supportFeatures, ['720p Video (send)', 'Render Multiple Videos'], 'listed as supported even here');
});

test('Chrome 60 is below the floor: everything unsupported but the two the runtime always lists', () => {
  const answer = checkFeatureRequirements(new BrowserDetector({ userAgent: OLD_CHROME_UA }).browserInfo());
  assert.equal(answer.platform, 'Chrome60.0.3112.113');
  assert.equal(answer.unSupportFeatures.length, 17);
});
