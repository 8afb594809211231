/** The citizens every playground starts with (data, like a fixture: the people a trainer talks as). */
export const SIMULATED_CITIZENS = ["زهرا", "علی"] as const;

/**
 * Staff personas, matching the sample data's grants (scripts/sample-data): a centre coordinator and an institution
 * operator; and a provincial admin of Kermanshah, granted when the playground loads the sample (`PROVINCIAL_PERSONA`).
 */
export const SIMULATED_STAFF = [
  { id: 20001, name: "هماهنگ‌کننده مرکز مثبت زندگی الهیه" },
  { id: 20002, name: "کارشناس مؤسسه نیکوکاران کرمانشاه" },
  { id: 20003, name: "مدیر ستاد استان کرمانشاه" },
] as const;

/** The provincial admin persona's grant (the sample CSVs carry only centre and institution roles). */
export const PROVINCIAL_PERSONA = { userId: "20003", province: "kermanshah" } as const;

/** The platform the staff personas use, as the sample CSVs' grants say. */
export const STAFF_PLATFORM = "telegram" as const;
