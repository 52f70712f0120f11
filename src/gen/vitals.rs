//! Vital signs of inpatients in SS-MIX2 extended storage (NHO-VITAL: ORU^R30 in
//! `main_document.hl7` under `L-OBSERVATIONS^OBSERVATIONS^99ZL01`), written after the rest of
//! the story on their own PRNG stream, so that the standard storage does not change.
//!
//! Three rounds a day (06, 14, 20 h), four to six on the first two days; T, P, BP, R, SpO2;
//! weight on admission and weekly. Courses follow the stay's trend: an infection has a fever
//! with tachycardia in the first days, settling; the day of surgery and the next show higher BP
//! and 37.x ℃; heart failure loses weight and breathes easier.
//!
//! Both content-folder forms (7 fields; NHO's 6 without the department) and both keys (one
//! file a day, rewritten as the day goes on; one file a round) are used, by patient.

use super::beds::Stay;
use super::hl7::{Seg, Style, encode};
use super::patient::{Gen, Visit};
use super::scenario::Trend;
use super::ts::{Dt, at, d8, days, millis_delta, minutes, t12, t15, t17};
use super::writer::patient_dir;
use chrono::{NaiveDate, Timelike};

pub const VITALS_TYPE: &str = "L-OBSERVATIONS^OBSERVATIONS^99ZL01";

/// Extended storage sits beside the standard tree, under its own root.
pub const EXTENDED_ROOT: &str = "extended";

/// How one patient's system names its vitals.
#[derive(Clone, Copy)]
struct Form {
    /// NHO's sample form: 6 fields, a 15-digit written time, the 16-character temperature code.
    nho: bool,
    /// One file per round (key `YYYYMMDDHH`) rather than one a day (key `YYYYMMDD`).
    per_round: bool,
}

/// One round of measurements.
struct Round {
    at: Dt,
    temp: f64,
    pulse: i64,
    sys: i64,
    dia: i64,
    resp: i64,
    spo2: i64,
    weight: Option<f64>,
}

/// The patient's resting values for one stay.
struct Base {
    temp: f64,
    pulse: f64,
    sys: f64,
    dia: f64,
    resp: f64,
    spo2: f64,
    weight: f64,
}

impl Gen<'_> {
    /// Every stay's vitals; call after the story (the PRNG is the vitals stream by then).
    pub fn vitals(&mut self) {
        let form = Form {
            nho: self.p.idx % 4 == 1,
            per_round: self.p.idx.is_multiple_of(3),
        };
        for s in self.stays {
            if s.admit > self.export || s.segments.is_empty() {
                continue;
            }
            let rounds = self.rounds(s);
            self.write_vitals(s, &rounds, form);
        }
    }

    fn rounds(&mut self, s: &Stay) -> Vec<Round> {
        let age = self.p.age as f64;
        let b = Base {
            temp: self.rng.normal(36.5, 0.15),
            pulse: self.rng.normal(74.0, 6.0),
            sys: self.rng.normal(112.0 + 0.35 * age.min(85.0), 8.0),
            dia: self.rng.normal(70.0, 5.0),
            resp: self.rng.normal(16.0, 1.5),
            spo2: self.rng.normal(97.5, 0.6),
            weight: self.p.weight,
        };
        let trend = s.scenario.trend;
        let fever_peak = self.rng.uniform(38.5, 39.3);
        let hf_excess = self.rng.uniform(2.5, 4.5);
        let end = s.discharge.min(self.export);
        let mut out = Vec::new();
        let mut day = s.admit.date();
        let mut next_weight = s.admit;
        while at(day, 0, 0) < end {
            let n_day = (day - s.admit.date()).num_days();
            let hours: &[u32] = if n_day < 2 {
                match self.rng.int(4, 6) {
                    4 => &[2, 10, 14, 20],
                    5 => &[2, 6, 10, 14, 20],
                    _ => &[2, 6, 10, 14, 18, 22],
                }
            } else {
                &[6, 14, 20]
            };
            for &h in hours {
                let t = at(day, h, 0) + minutes(self.rng.int(-25, 25));
                if t < s.admit + minutes(20) || t > end {
                    continue;
                }
                let weigh = t >= next_weight;
                if weigh {
                    next_weight = at(t.date() + days(7), 0, 0);
                }
                out.push(self.round(&b, s, trend, t, fever_peak, hf_excess, weigh));
            }
            day += days(1);
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn round(
        &mut self,
        b: &Base,
        s: &Stay,
        trend: Trend,
        t: Dt,
        fever_peak: f64,
        hf_excess: f64,
        weigh: bool,
    ) -> Round {
        let hours = (t - s.admit).num_minutes() as f64 / 60.0;
        // Evenings run a little warmer.
        let diurnal = if t.hour() >= 14 { 0.2 } else { 0.0 };
        let mut temp = b.temp + diurnal + self.rng.normal(0.0, 0.1);
        let mut pulse = b.pulse + self.rng.normal(0.0, 3.0);
        let mut sys = b.sys + self.rng.normal(0.0, 5.0);
        let mut dia = b.dia + self.rng.normal(0.0, 3.0);
        let mut resp = b.resp + self.rng.normal(0.0, 1.0);
        let mut spo2 = b.spo2 + self.rng.normal(0.0, 0.5);
        let mut weight = b.weight;
        match trend {
            Trend::Infection => {
                // A plateau for the first day and a half, then it settles over a few days.
                let f = if hours < 36.0 {
                    1.0
                } else {
                    (-(hours - 36.0) / 30.0).exp()
                };
                temp = temp.max(b.temp + (fever_peak - b.temp) * f + self.rng.normal(0.0, 0.08));
                let fever = (temp - 37.0).max(0.0);
                pulse = pulse.max(72.0) + 22.0 * fever;
                resp += 3.0 * fever;
                spo2 -= 1.2 * fever;
            }
            Trend::PostOp => {
                if let Some(op) = s.surgery {
                    let after = (t - op).num_minutes() as f64 / 60.0;
                    if (0.0..48.0).contains(&after) {
                        temp = temp.max(37.2 + self.rng.uniform(0.0, 0.6));
                        sys += 18.0;
                        dia += 8.0;
                        pulse += 10.0;
                    }
                }
            }
            Trend::HeartFailure => {
                let left = (-hours / 96.0).exp();
                weight += hf_excess * left;
                resp += 5.0 * left;
                spo2 -= 3.0 * left;
                pulse += 12.0 * left;
            }
            _ => {}
        }
        Round {
            at: t,
            temp: (temp * 10.0).round() / 10.0,
            pulse: pulse.round() as i64,
            sys: sys.round() as i64,
            dia: dia.round().min(sys.round() - 20.0) as i64,
            resp: resp.round() as i64,
            spo2: spo2.round().min(100.0) as i64,
            weight: weigh.then(|| (weight * 10.0).round() / 10.0),
        }
    }

    fn write_vitals(&mut self, s: &Stay, rounds: &[Round], form: Form) {
        // Group rounds into files: one a day, or one a round.
        let mut groups: Vec<(NaiveDate, String, Vec<&Round>)> = Vec::new();
        for r in rounds {
            let key = if form.per_round {
                format!("00000{}{:02}", d8(r.at.date()), r.at.hour())
            } else {
                format!("0000000{}", d8(r.at.date()))
            };
            match groups.last_mut() {
                Some((_, k, list)) if *k == key => list.push(r),
                _ => groups.push((r.at.date(), key, vec![r])),
            }
        }
        for (date, key, list) in groups {
            let Some(last) = list.last() else { continue };
            let v = self.visit_at(s, last.at);
            // A day file is rewritten as the day goes on: the morning's version is history.
            let mut versions: Vec<Vec<&Round>> = Vec::new();
            if !form.per_round && list.len() >= 3 {
                versions.push(list[..list.len() / 2].to_vec());
            }
            versions.push(list);
            let n = versions.len();
            for (i, part) in versions.into_iter().enumerate() {
                let Some(newest) = part.last() else { continue };
                let written = (newest.at + minutes(self.rng.int(3, 25)) + millis_delta(self.rng.int(0, 999)))
                    .min(self.export);
                let flag = if i + 1 == n { 1 } else { 2 };
                let segs = self.oru_r30(written, &v, &part, form);
                let bytes = encode(&segs, Style::NORMAL);
                let stamp = if form.nho { t15(written) } else { t17(written) };
                let id = &self.p.id;
                let folder = if form.nho {
                    format!("{id}_{}_{VITALS_TYPE}_{key}_{stamp}_{flag}", d8(date))
                } else {
                    format!(
                        "{id}_{}_{VITALS_TYPE}_{key}_{stamp}_{}_{flag}",
                        d8(date),
                        v.dept.code
                    )
                };
                let dir = format!(
                    "{EXTENDED_ROOT}/{}/{}/{VITALS_TYPE}/{folder}",
                    patient_dir(id),
                    d8(date)
                );
                self.out.add_file(dir, "main_document.hl7".into(), bytes);
            }
        }
    }

    /// The ward bed the patient was in at `t`.
    fn visit_at(&mut self, s: &Stay, t: Dt) -> Visit {
        let (d, doc) = self.doctor_of(s.scenario.dept);
        let seg = s
            .segments
            .iter()
            .find(|g| g.from <= t && t < g.to)
            .or(s.segments.last());
        Visit {
            inpatient: true,
            dept: d,
            doctor: doc,
            bed: seg.map(|g| g.bed),
        }
    }

    fn oru_r30(&mut self, written: Dt, v: &Visit, rounds: &[&Round], form: Form) -> Vec<String> {
        let first = rounds.first().map_or(written, |r| r.at);
        let order = self.order_no();
        let mut segs = vec![
            self.msh(written, "ORU^R30^ORU_R30"),
            self.pid(),
            Gen::pv1(v),
            Seg::new("ORC").f(1, "NW").f(2, &order).f(9, &t12(written)).end(),
            Seg::new("OBR")
                .f(1, "1")
                .f(2, &order)
                .f(4, "OBSERVATIONS^バイタル^99ZL01")
                .f(7, &t12(first))
                .end(),
        ];
        let temp_code = if form.nho {
            "9P10000000000001^体温^JC10"
        } else {
            "9P100000000000001^体温^JC10"
        };
        let mut n = 0;
        for r in rounds {
            let mut rows: Vec<(&str, String, &str)> = vec![
                (temp_code, format!("{:.1}", r.temp), "cel^℃^ISO+"),
                (
                    "9P300000000000001^脈拍^JC10",
                    r.pulse.to_string(),
                    "/min^/min^ISO+",
                ),
                (
                    "9A751000000000001^収縮期血圧^JC10",
                    r.sys.to_string(),
                    "mm(hg)^mmHg^ISO+",
                ),
                (
                    "9A761000000000001^拡張期血圧^JC10",
                    r.dia.to_string(),
                    "mm(hg)^mmHg^ISO+",
                ),
                (
                    "9P200000000000001^呼吸数^JC10",
                    r.resp.to_string(),
                    "/min^/min^ISO+",
                ),
                ("SPO2^SpO2^99ZL01", r.spo2.to_string(), "%^%^ISO+"),
            ];
            if let Some(w) = r.weight {
                rows.push(("9N006000000000001^体重^JC10", format!("{w:.1}"), "kg^kg^ISO+"));
            }
            for (code, value, unit) in rows {
                n += 1;
                segs.push(
                    Seg::new("OBX")
                        .f(1, &n.to_string())
                        .f(2, "NM")
                        .f(3, code)
                        .f(5, &value)
                        .f(6, unit)
                        .f(11, "F")
                        .f(14, &t12(r.at))
                        .end(),
                );
            }
        }
        segs
    }
}
