/** One gazetteer entry, from GeoNames or from a mission's CSV. */
export interface Settlement {
  name: string;
  /** `searchKey(name)`, made once where the entry is read. */
  key: string;
  /** Region name, already resolved from GeoNames' admin1 code; `null` when unknown. */
  admin1: string | null;
  countryCode: string | null;
  lon: number;
  lat: number;
  /** `null` for a mission's entry that gave none. */
  population: number | null;
  /** Mission entries win ties and are named whatever their population. */
  source: 'geonames' | 'mission';
}
