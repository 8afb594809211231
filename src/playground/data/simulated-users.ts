/** The citizens every playground starts with (data, like a fixture: the people a trainer talks as). */
export const SIMULATED_CITIZENS = ["زهرا", "علی"] as const;

/** Staff personas, matching the sample data's grants (scripts/sample-data): a centre coordinator and an institution operator. */
export const SIMULATED_STAFF = [
  { id: 20001, name: "هماهنگ‌کننده مرکز مثبت زندگی الهیه" },
  { id: 20002, name: "کارشناس مؤسسه نیکوکاران کرمانشاه" },
] as const;
