import { readFileSync } from "node:fs";

/**
 * A point to its province and county, over the simplified county boundaries
 * of `iran-counties.geojson` (OpenStreetMap, ODbL; `DATA.md`: 99.8 % agree
 * with the full-resolution borders, the rest within 0.2 km of one). Ray
 * casting over each county's rings after a bounding-box test; read from disk
 * the first time a location is shared. A point in no county (the coast, a
 * border line) takes the nearest county within 25 km, marked not exact: the
 * person confirms either way.
 */

type Ring = [number, number][];
interface CountyShape {
  province: string;
  county: string;
  /** Outer ring first, holes after, per polygon. */
  polygons: Ring[][];
  box: [number, number, number, number];
}

export interface Located {
  province: string;
  county: string;
  /** False when the point lay in no county and the nearest one within 25 km was taken. */
  exact: boolean;
}

let shapes: CountyShape[] | undefined;

function load(): CountyShape[] {
  const fc = JSON.parse(readFileSync(new URL("./iran-counties.geojson", import.meta.url), "utf8")) as {
    features: {
      properties: { province: string; county: string };
      geometry: { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] };
    }[];
  };
  return fc.features.map((f) => {
    const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of polygons)
      for (const [lon, lat] of poly[0]!) {
        box[0] = Math.min(box[0], lon);
        box[1] = Math.min(box[1], lat);
        box[2] = Math.max(box[2], lon);
        box[3] = Math.max(box[3], lat);
      }
    return { province: f.properties.province, county: f.properties.county, polygons, box };
  });
}

function inRing(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const inShape = (s: CountyShape, lon: number, lat: number) =>
  s.polygons.some((poly) => inRing(poly[0]!, lon, lat) && !poly.slice(1).some((hole) => inRing(hole, lon, lat)));

/** Kilometres between two points (equirectangular: exact enough within 25 km). */
const km = (lat1: number, lon1: number, lat2: number, lon2: number) => {
  const x = (lon2 - lon1) * Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  return Math.hypot(x, lat2 - lat1) * 111.2;
};

const NEAREST_KM = 25;

/** The county a point lies in, or the nearest within 25 km (not exact), or null (abroad, open sea). */
export function locate(lat: number, lon: number): Located | null {
  shapes ??= load();
  for (const s of shapes)
    if (lon >= s.box[0] && lon <= s.box[2] && lat >= s.box[1] && lat <= s.box[3] && inShape(s, lon, lat))
      return { province: s.province, county: s.county, exact: true };
  const margin = NEAREST_KM / 80;
  let best: { s: CountyShape; d: number } | undefined;
  for (const s of shapes) {
    if (lon < s.box[0] - margin || lon > s.box[2] + margin || lat < s.box[1] - margin || lat > s.box[3] + margin)
      continue;
    for (const poly of s.polygons)
      for (const [x, y] of poly[0]!) {
        const d = km(lat, lon, y, x);
        if (d <= NEAREST_KM && (!best || d < best.d)) best = { s, d };
      }
  }
  return best ? { province: best.s.province, county: best.s.county, exact: false } : null;
}
