import { z } from 'zod';

/** What was observed. Order is the order a report form lists them in. */
export const CATEGORIES = [
  'explosion',
  'shelling',
  'small_arms_fire',
  'armed_clash',
  'air_drone_strike',
  'projectile_in_flight',
  'drone_sighting',
  'heavy_weapons',
  'mine_uxo',
  'civilian_harm',
  'infrastructure_damage',
  'monitor_restriction',
  'other',
] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

export const ASSESSMENTS = ['impact', 'outgoing', 'airburst', 'undetermined'] as const;
export const Assessment = z.enum(ASSESSMENTS);
export type Assessment = z.infer<typeof Assessment>;

export const WEAPONS = [
  'artillery',
  'mortar',
  'mlrs',
  'tank',
  'heavy_machine_gun',
  'small_arms',
  'grenade_launcher',
  'anti_aircraft_gun',
  'drone',
  'missile',
  'aircraft',
  'mine',
  'undetermined',
] as const;
export const Weapon = z.enum(WEAPONS);
export type Weapon = z.infer<typeof Weapon>;

export const METHODS = ['seen', 'heard', 'seen_and_heard', 'camera', 'uav', 'third_party'] as const;
export const Method = z.enum(METHODS);
export type Method = z.infer<typeof Method>;

export const COUNT_UNITS = ['explosions', 'bursts', 'shots', 'items'] as const;
export const CountUnit = z.enum(COUNT_UNITS);
export type CountUnit = z.infer<typeof CountUnit>;

export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export const Confidence = z.enum(CONFIDENCES);
export type Confidence = z.infer<typeof Confidence>;

export const STATUSES = ['pending', 'verified', 'rejected'] as const;
export const ReportStatus = z.enum(STATUSES);
export type ReportStatus = z.infer<typeof ReportStatus>;

export const ROLES = ['monitor', 'coordinator', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Human labels, in English; the one catalogue the interface reads them from. */
export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  explosion: 'Explosion',
  shelling: 'Shelling',
  small_arms_fire: 'Small-arms fire',
  armed_clash: 'Armed clash',
  air_drone_strike: 'Air or drone strike',
  projectile_in_flight: 'Projectile in flight',
  drone_sighting: 'Drone sighting',
  heavy_weapons: 'Heavy weapons present',
  mine_uxo: 'Mine or UXO',
  civilian_harm: 'Harm to civilians',
  infrastructure_damage: 'Damage to infrastructure',
  monitor_restriction: 'Restriction of monitors',
  other: 'Other',
};

export const ASSESSMENT_LABELS: Readonly<Record<Assessment, string>> = {
  impact: 'Impact',
  outgoing: 'Outgoing',
  airburst: 'Airburst',
  undetermined: 'Undetermined',
};

export const WEAPON_LABELS: Readonly<Record<Weapon, string>> = {
  artillery: 'Artillery',
  mortar: 'Mortar',
  mlrs: 'Multiple-launch rocket system',
  tank: 'Tank',
  heavy_machine_gun: 'Heavy machine gun',
  small_arms: 'Small arms',
  grenade_launcher: 'Grenade launcher',
  anti_aircraft_gun: 'Anti-aircraft gun',
  drone: 'Drone',
  missile: 'Missile',
  aircraft: 'Aircraft',
  mine: 'Mine',
  undetermined: 'Undetermined',
};

export const METHOD_LABELS: Readonly<Record<Method, string>> = {
  seen: 'Seen',
  heard: 'Heard',
  seen_and_heard: 'Seen and heard',
  camera: 'Camera',
  uav: 'UAV',
  third_party: 'Third party',
};

export const COUNT_UNIT_LABELS: Readonly<Record<CountUnit, string>> = {
  explosions: 'explosions',
  bursts: 'bursts',
  shots: 'shots',
  items: 'items',
};

export const CONFIDENCE_LABELS: Readonly<Record<Confidence, string>> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};

export const STATUS_LABELS: Readonly<Record<ReportStatus, string>> = {
  pending: 'Pending review',
  verified: 'Verified',
  rejected: 'Rejected',
};

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  monitor: 'Field monitor',
  coordinator: 'Coordinator',
  admin: 'Administrator',
};

/**
 * Families of categories that one physical event can be reported as. Two monitors
 * watching the same strike may file it as `shelling` (heard the launch) and
 * `explosion` (saw the impact), or as `civilian_harm` afterwards; those must group.
 * A restriction of monitors or a sighting of parked heavy weapons is never the same
 * event as a firefight nearby, so those only group with themselves.
 */
const CATEGORY_FAMILIES: readonly (readonly Category[])[] = [
  ['explosion', 'shelling', 'air_drone_strike', 'projectile_in_flight', 'armed_clash', 'civilian_harm', 'infrastructure_damage', 'mine_uxo'],
  ['small_arms_fire', 'armed_clash', 'civilian_harm', 'infrastructure_damage'],
  ['drone_sighting', 'air_drone_strike', 'projectile_in_flight'],
];

const COMPATIBLE: ReadonlyMap<Category, ReadonlySet<Category>> = (() => {
  const map = new Map<Category, Set<Category>>();
  for (const c of CATEGORIES) map.set(c, new Set([c]));
  for (const family of CATEGORY_FAMILIES) {
    for (const a of family) for (const b of family) map.get(a)?.add(b);
  }
  return map;
})();

/** True when reports of categories `a` and `b` may describe the same event (symmetric, reflexive). */
export function categoriesCompatible(a: Category, b: Category): boolean {
  return COMPATIBLE.get(a)?.has(b) ?? false;
}
