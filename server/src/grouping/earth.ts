/** Mean Earth radius in metres, the same value turf uses, so distances agree with the map layer. */
export const EARTH_RADIUS_M = 6371008.8;
