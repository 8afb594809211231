/** The citizens every playground starts with (data, like a fixture: the people a trainer talks as). */
export const SIMULATED_CITIZENS = ["زهرا", "علی"] as const;
