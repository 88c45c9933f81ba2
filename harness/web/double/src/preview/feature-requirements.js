// ZoomVideo.checkFeatureRequirements as the 2.5.0 runtime has it: a pure function of the browser it
// detects (its user-agent tables, or the client hints once they have come) and a version floor.
// docs/fidelity.md, "Preview".

// The runtime's user-agent tables: [test, (ua) => [name, version]]; the first match wins.
const first = (regex, ua) => (ua.match(regex) || [])[1] || '';
const second = (regex, ua) => (ua.match(regex) || [])[2] || '';
const VERSION = /version\/(\d+(\.?_?\d+)+)/i;
const notLikeAndroid = (ua) => !/like android/i.test(ua) && /android/i.test(ua);
const BROWSERS = [
  [/opera/i, (ua) => ['Opera(Legacy)', first(VERSION, ua) || first(/(?:opera)[\s/](\d+(\.?_?\d+)+)/i, ua)]],
  [/opr\/|opios/i, (ua) => ['Opera', first(/(?:opr|opios)[\s/](\S+)/i, ua) || first(VERSION, ua)]],
  [/SamsungBrowser/i, (ua) => ['Samsung Internet for Android', first(VERSION, ua) || first(/(?:SamsungBrowser)[\s/](\d+(\.?_?\d+)+)/i, ua)]],
  [/micromessenger/i, (ua) => ['WeChat', first(/(?:micromessenger)[\s/](\d+(\.?_?\d+)+)/i, ua) || first(VERSION, ua)]],
  [/qqbrowser/i, (ua) => [/qqbrowserlite/i.test(ua) ? 'QQ Browser Lite' : 'QQ Browser', first(/(?:qqbrowserlite|qqbrowser)[/](\d+(\.?_?\d+)+)/i, ua) || first(VERSION, ua)]],
  [/msie|trident/i, (ua) => ['Internet Explorer', first(/(?:msie |rv:)(\d+(\.?_?\d+)+)/i, ua)]],
  [/\sedg\//i, (ua) => ['Microsoft Edge', first(/\sedg\/(\d+(\.?_?\d+)+)/i, ua)]],
  [/edg([ea]|ios)/i, (ua) => ['Microsoft Edge(Legacy)', second(/edg([ea]|ios)\/(\d+(\.?_?\d+)+)/i, ua)]],
  [/firefox|iceweasel|fxios/i, (ua) => ['Firefox', first(/(?:firefox|iceweasel|fxios)[\s/](\d+(\.?_?\d+)+)/i, ua)]],
  [/electron/i, (ua) => ['Electron', first(/(?:electron)\/(\d+(\.?_?\d+)+)/i, ua)]],
  [/chromium/i, (ua) => ['Chromium', first(/(?:chromium)[\s/](\d+(\.?_?\d+)+)/i, ua) || first(VERSION, ua)]],
  [/chrome|crios|crmo/i, (ua) => ['Chrome', first(/(?:chrome|crios|crmo)\/(\d+(\.?_?\d+)+)/i, ua)]],
  [notLikeAndroid, (ua) => ['Android Browser', first(VERSION, ua)]],
  [/safari|applewebkit/i, (ua) => ['Safari', first(VERSION, ua)]],
];
const SYSTEMS = [
  [(ua) => Number((ua.match(/OpenHarmony (\d+\.?\d*)/) || [])[1]) >= 5, (ua) => ['HarmonyOS', first(/OpenHarmony (\d+\.?\d*)/i, ua)]],
  [/windows /i, (ua) => ['Windows', first(/Windows ((NT|XP)( \d\d?.\d)?)/i, ua)]],
  [/Macintosh(.*?) FxiOS(.*?)\//, (ua) => ['iOS', second(/(Version\/)(\d[\d.]+)/, ua)]],
  [/macintosh/i, (ua) => ['macOS', first(/mac os x (\d+(\.?_?\d+)+)/i, ua).replace(/[_\s]/g, '.')]],
  [/(ipod|iphone|ipad)/i, (ua) => ['iOS', first(/os (\d+([_\s]\d+)*) like mac os x/i, ua).replace(/[_\s]/g, '.')]],
  [notLikeAndroid, (ua) => ['Android', first(/android[\s/-](\d+(\.\d+)*)/i, ua)]],
  [/linux/i, () => ['Linux']],
  [/CrOS/, () => ['Chrome OS']],
];

function lookUp(table, ua, none) {
  const found = table.find(([test]) => (typeof test === 'function' ? test(ua) : test.test(ua)));
  return found ? found[1](ua) : none;
}

// The runtime's detector: it asks for the client hints when it is created (at load) and reads the browser
// once, on first use: from the hints' brands if they have come by then, else from the user agent.
export class BrowserDetector {
  constructor(nav = globalThis.navigator) {
    this.nav = nav || {};
    this.hints = undefined;
    const data = this.nav.userAgentData;
    if (data && typeof data.getHighEntropyValues === 'function') {
      data
        .getHighEntropyValues(['architecture', 'bitness', 'formFactor', 'model', 'platformVersion', 'wow64'])
        .then((hints) => {
          this.hints = hints;
          if (this.os && this.osVersion && hints.platform && hints.platformVersion) [this.os, this.osVersion] = [hints.platform, hints.platformVersion];
        })
        .catch((error) => console.warn(error));
    }
  }

  get ua() {
    return this.nav.userAgent || '';
  }

  get brands() {
    return (this.hints && this.hints.brands) || [];
  }

  browserInfo() {
    if (!this.browser) this.readBrowser();
    if (!this.os) this.readSystem();
    const os = this.os;
    const isIOSMobile = os === 'iOS' || /iPad/i.test(this.ua) || (os === 'macOS' && this.nav.maxTouchPoints > 2);
    const isAndroidBrowser = String(os).toLowerCase() === 'android';
    const isChrome = this.brands.length
      ? this.brands.some((brand) => String(brand.brand).toLowerCase() === 'chromium')
      : !['Opera(Legacy)', 'Microsoft Edge(Legacy)'].includes(this.browser) && /chrome/i.test(this.ua) && /webkit/i.test(this.ua);
    return { browser: this.browser, browserVersion: this.browserVersion, os, osVersion: this.osVersion, isIOSMobile, isAndroidBrowser, isChrome };
  }

  readBrowser() {
    if (this.brands.length) {
      const named = this.brands.filter((brand) => !/(Chromium|Not.*Brand)/i.test(brand.brand))[0];
      if (named) this.browser = named.brand;
      const chromium = this.brands.find((brand) => String(brand.brand).toLowerCase() === 'chromium');
      this.browserVersion = chromium ? chromium.version : named.version;
      if (!this.browser && chromium) this.browser = chromium.brand;
      return;
    }
    [this.browser, this.browserVersion] = lookUp(BROWSERS, this.ua, ['unknown', '0']);
  }

  readSystem() {
    if (this.hints && this.hints.platform && this.hints.platformVersion) {
      [this.os, this.osVersion] = [this.hints.platform, this.hints.platformVersion];
      return;
    }
    [this.os, this.osVersion] = lookUp(SYSTEMS, this.ua, ['unknown', '0']);
  }
}

const detector = new BrowserDetector();
export const browserInfo = () => detector.browserInfo();

const major = (version) => Number((String(version || '').match(/^\d+/) || [])[0]);

// The runtime's version floor: desktop Chrome 69, Safari 15, Firefox 76; iOS 15; Android 10.
function recentEnough(info) {
  if (info.isIOSMobile) return major(info.osVersion) >= 15;
  if (info.isAndroidBrowser) return major(info.osVersion) >= 10;
  const version = major(info.browserVersion);
  return (info.isChrome && version >= 69) || (info.browser === 'Safari' && version > 14) || (info.browser === 'Firefox' && version >= 76);
}

const EVERYWHERE = ['Audio', 'Video', 'Screen Share (receive)', 'Chat', 'Closed Captioning', 'Live Transcription', 'Live Translation', 'Cloud Recording', 'Call Out (PSTN)', 'Command Channel', 'RTMP Live Streaming', 'Encryption'];

export function checkFeatureRequirements(info = browserInfo()) {
  const supported = [];
  const unsupported = [];
  const sort = (yes, ...features) => (yes ? supported : unsupported).push(...features);
  const mobile = info.isIOSMobile || info.isAndroidBrowser;
  const recent = recentEnough(info);
  const isFirefox = info.browser === 'Firefox';
  const isSafari = info.browser === 'Safari';
  sort(!mobile && (info.isChrome || isFirefox || isSafari) && recent, 'Virtual Background');
  sort((mobile || info.isChrome) && recent, 'Share Chrome Tab Audio');
  sort(!mobile && recent, 'Screen Share (send)', '720p Video (receive)', 'Share 2nd Camera');
  sort(recent, ...EVERYWHERE);
  supported.push('720p Video (send)', 'Render Multiple Videos'); // the runtime lists these as supported everywhere
  if (unsupported.length) console.log('Some features are not supported on your platform, please refer to https://developers.zoom.us/docs/video-sdk/web/browser-support/');
  const platform = mobile ? `${info.os}${info.osVersion}` : `${info.browser}${info.browserVersion}`;
  return { platform, supportFeatures: supported, unSupportFeatures: unsupported };
}
