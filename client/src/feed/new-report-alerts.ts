import { CATEGORY_LABELS, type Report } from '@truceline/shared';
import { create } from 'zustand';
import { t } from '../i18n';

const PREFS_KEY = 'truceline.newReportAlerts';

interface AlertPrefs {
  sound: boolean;
  notify: boolean;
}

export interface AlertPrefsState extends AlertPrefs {
  /** Set when the browser refused notifications, so the control can say why it stays off. */
  notifyRefused: boolean;
  setSound(on: boolean): void;
  /** Asks the browser's permission only now, after the person turned it on: never at load. */
  setNotify(on: boolean): Promise<void>;
}

function loadPrefs(): AlertPrefs {
  try {
    const stored = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as Partial<AlertPrefs>;
    return { sound: stored.sound === true, notify: stored.notify === true && notificationPermission() === 'granted' };
  } catch {
    return { sound: false, notify: false };
  }
}

function savePrefs(prefs: AlertPrefs): void {
  localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
}

function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export const notificationsSupported = (): boolean => notificationPermission() !== 'unsupported';

export const useAlertPrefs = create<AlertPrefsState>((set, get) => ({
  ...loadPrefs(),
  notifyRefused: false,
  setSound(on) {
    // Created inside the click that turns the sound on: browsers only let a page start audio after a gesture.
    if (on) audio();
    set({ sound: on });
    savePrefs({ sound: on, notify: get().notify });
  },
  async setNotify(on) {
    if (!on || !notificationsSupported()) {
      set({ notify: false, notifyRefused: false });
      savePrefs({ sound: get().sound, notify: false });
      return;
    }
    // Asked even when already granted (it then answers at once, with no prompt): one path.
    const granted = (await Notification.requestPermission()) === 'granted';
    set({ notify: granted, notifyRefused: !granted });
    savePrefs({ sound: get().sound, notify: granted });
  },
}));

let context: AudioContext | undefined;
function audio(): AudioContext | undefined {
  if (typeof AudioContext === 'undefined') return undefined;
  context ??= new AudioContext();
  if (context.state === 'suspended') void context.resume();
  return context;
}

/** Two short tones, made here rather than shipped as a file (the app works offline). */
function chime(): void {
  const ctx = audio();
  if (!ctx) return;
  for (const [i, hz] of [880, 1320].entries()) {
    const start = ctx.currentTime + i * 0.16;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = hz;
    gain.gain.setValueAtTime(0.15, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + 0.14);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + 0.15);
  }
}

/** Sound and notification for reports that just arrived from others, as the person chose. */
export function alertNewReports(reports: readonly Report[]): void {
  const prefs = useAlertPrefs.getState();
  if (prefs.sound) chime();
  // A visible tab shows the count and the feed already; a notification is for when it is hidden.
  if (!prefs.notify || document.visibilityState !== 'hidden' || notificationPermission() !== 'granted') return;
  const first = reports[0];
  if (!first) return;
  const notification = new Notification(t.unseen.notificationTitle(reports.length), {
    body: [CATEGORY_LABELS[first.category], first.place?.text].filter(Boolean).join(' · '),
    // One notification for the app, replaced by the next: a busy night must not stack dozens.
    tag: 'truceline-new-reports',
  });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
}
