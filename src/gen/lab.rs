//! Lab values with patient baselines and episode-driven trends, and the
//! OML-01 (OML^O33) order / OML-11 (OUL^R22) result messages.

use super::hl7::Seg;
use super::labs::{Analyte, Item, Panel, item};
use super::patient::{Gen, Life, Visit};
use super::profile::{Profile, Sex};
use super::rng::Rng;
use super::scenario::Trend;
use super::ts::{Dt, t12, t14};
use chrono::NaiveDate;

const N: usize = Analyte::UBlood as usize + 1;

/// A clinical event that moves lab values for a while.
pub struct Episode {
    pub start: Dt,
    pub trend: Trend,
    pub severity: f64,
    /// Outpatient acute problem: CRP level at presentation.
    pub crp: f64,
}

pub struct LabState {
    base: [f64; N],
    /// Relative change per year (CKD creatinine creeps up).
    drift: [f64; N],
    end: NaiveDate,
    pub episodes: Vec<Episode>,
    sex: Sex,
    age: i32,
    diabetic: bool,
    sglt2: bool,
    renal: bool,
}

fn bump(x: f64, peak: f64, tau: f64) -> f64 {
    if x < 0.0 {
        0.0
    } else if x < peak {
        x / peak
    } else {
        (-(x - peak) / tau).exp()
    }
}

impl LabState {
    pub fn new(p: &Profile, rng: &mut Rng, end: NaiveDate) -> LabState {
        use Analyte::*;
        let m = p.sex == Sex::M;
        let old = p.age >= 65;
        let mut b = [0.0; N];
        let mut set = |a: Analyte, v: f64| b[a as usize] = v;
        set(Tp, if old { 6.9 } else { 7.2 });
        set(
            Alb,
            if p.age >= 80 {
                3.7
            } else if old {
                4.0
            } else {
                4.4
            },
        );
        set(Ast, 22.0);
        set(Alt, if m { 22.0 } else { 16.0 });
        set(Ldh, 180.0);
        set(Alp, if p.age < 15 { 250.0 } else { 75.0 });
        set(Ggt, if m { 32.0 } else { 18.0 });
        set(Tbil, 0.7);
        set(Bun, if old { 17.0 } else { 13.0 });
        let cr = if p.age < 15 {
            0.25 + 0.025 * p.age as f64
        } else if m {
            0.85
        } else {
            0.63
        };
        set(Cr, if old { cr * 1.1 } else { cr });
        set(Ua, if m { 5.8 } else { 4.5 });
        set(Na, 140.5);
        set(K, 4.2);
        set(Cl, 104.0);
        set(Ca, 9.3);
        set(Crp, 0.05);
        set(Glu, 95.0);
        set(Hba1c, 5.5);
        set(Tcho, 200.0);
        set(Ldl, 115.0);
        set(Hdl, if m { 55.0 } else { 65.0 });
        set(Tg, if m { 120.0 } else { 90.0 });
        set(Ck, if m { 120.0 } else { 90.0 });
        set(Amy, 80.0);
        set(Bnp, if p.age >= 75 { 40.0 } else { 15.0 });
        set(Wbc, if p.age < 6 { 9.0 } else { 6.0 });
        set(
            Hb,
            if p.age < 15 {
                12.8
            } else if m {
                14.6
            } else {
                12.9
            } - if p.age >= 80 { 1.2 } else { 0.0 },
        );
        set(Plt, 24.0);
        set(PtInr, 1.0);
        set(Ddimer, 0.5);
        let mut drift = [0.0; N];
        // Individual variation of the set point.
        for v in b.iter_mut() {
            *v *= rng.normal(1.0, 0.07).clamp(0.8, 1.2);
        }
        if p.has("dm2") {
            b[Hba1c as usize] = rng.uniform(6.6, 8.8);
            b[Glu as usize] = rng.uniform(130.0, 200.0);
            drift[Hba1c as usize] = rng.normal(0.0, 0.04);
        }
        if p.has("dl") {
            b[Ldl as usize] = rng.uniform(110.0, 165.0);
            b[Tg as usize] *= 1.4;
        }
        if p.has("ckd") {
            b[Cr as usize] = rng.uniform(1.3, 2.8) * if m { 1.0 } else { 0.8 };
            b[Bun as usize] = rng.uniform(24.0, 40.0);
            b[K as usize] = rng.uniform(4.6, 5.3);
            b[Hb as usize] -= 1.5;
            b[Ua as usize] += 1.0;
            drift[Cr as usize] = rng.uniform(0.08, 0.25);
            drift[Bun as usize] = drift[Cr as usize] * 0.8;
        }
        if p.has("chf") {
            b[Bnp as usize] = rng.uniform(120.0, 480.0);
        }
        if p.has("af") {
            b[Bnp as usize] = b[Bnp as usize].max(rng.uniform(60.0, 200.0));
        }
        if p.chronic.iter().any(|c| c.dx == "af") && rng.chance(0.3) {
            b[PtInr as usize] = rng.uniform(1.8, 2.7);
        }
        if p.has("hyperuricemia") {
            b[Ua as usize] = rng.uniform(6.8, 8.5);
        }
        if p.has("ida") {
            b[Hb as usize] = rng.uniform(9.5, 11.0);
        }
        let sglt2 = p.has("dm2") && rng.chance(0.25);
        LabState {
            base: b,
            drift,
            end,
            episodes: Vec::new(),
            sex: p.sex,
            age: p.age,
            diabetic: p.has("dm2"),
            sglt2,
            renal: p.has("ckd"),
        }
    }

    fn underlying(&self, a: Analyte, t: Dt) -> f64 {
        let years = (t.date() - self.end).num_days() as f64 / 365.0;
        self.base[a as usize] * (1.0 + self.drift[a as usize] * years)
    }

    /// Value of a numeric analyte at time `t` including episode effects, without noise.
    fn mean(&self, a: Analyte, t: Dt) -> f64 {
        use Analyte::*;
        let mut v = self.underlying(a, t);
        for e in &self.episodes {
            let x = (t - e.start).num_minutes() as f64 / 1440.0;
            if !(-0.01..=60.0).contains(&x) {
                continue;
            }
            let s = e.severity;
            match (e.trend, a) {
                (Trend::Infection, Crp) => v += 14.0 * s * bump(x, 1.5, 2.6),
                (Trend::Infection, Wbc) => v += 8.0 * s * bump(x, 0.6, 2.5),
                (Trend::Infection, Alb) => v -= 0.6 * s * bump(x, 3.0, 10.0),
                (Trend::Infection, Plt) => v += 8.0 * s * bump(x, 6.0, 5.0),
                (Trend::HeartFailure, Bnp) => v *= 1.0 + 5.0 * s * bump(x, 0.2, 4.0),
                (Trend::HeartFailure, Cr) => v *= 1.0 + 0.3 * s * bump(x, 2.0, 6.0),
                (Trend::HeartFailure, Bun) => v *= 1.0 + 0.5 * s * bump(x, 2.0, 6.0),
                (Trend::HeartFailure, Na) => v -= 4.0 * s * bump(x, 2.0, 5.0),
                (Trend::HeartFailure, Crp) => v += 0.8 * s * bump(x, 1.0, 3.0),
                (Trend::Bleeding, Hb) => v -= 5.5 * s * bump(x, 0.3, 12.0),
                (Trend::Bleeding, Bun) => v += 30.0 * s * bump(x, 0.2, 2.0),
                (Trend::PostOp, Crp) => v += 11.0 * s * bump(x - 1.0, 2.0, 3.0),
                (Trend::PostOp, Wbc) => v += 5.0 * s * bump(x - 1.0, 1.0, 2.5),
                (Trend::PostOp, Hb) => v -= 1.8 * s * bump(x - 1.0, 1.0, 20.0),
                (Trend::PostOp, Ck) => v += 600.0 * s * bump(x - 1.0, 1.0, 2.0),
                (Trend::Stroke, Glu) => v += 40.0 * s * bump(x, 0.2, 3.0),
                (Trend::Stroke, Ddimer) => v += 2.5 * s * bump(x, 0.3, 5.0),
                (Trend::Stroke, Crp) => v += 1.5 * s * bump(x, 1.0, 4.0),
                (Trend::Metabolic, Glu) => v -= 30.0 * s * bump(x, 7.0, 60.0),
                (Trend::Metabolic, Hba1c) => v -= 0.8 * s * bump(x, 40.0, 200.0),
                (Trend::Obstetric, Hb) => v -= 1.5 * s * bump(x, 1.0, 30.0),
                (Trend::Obstetric, Wbc) => v += 5.0 * s * bump(x, 1.0, 2.0),
                (Trend::Obstetric, Crp) => v += 2.5 * s * bump(x, 1.0, 2.0),
                (Trend::Mild, Crp) => v += e.crp.max(1.0) * s * bump(x, 1.0, 3.0),
                (Trend::Mild, Wbc) => v += 2.0 * s * e.crp.min(3.0) * bump(x, 0.5, 3.0),
                _ => {}
            }
        }
        if a == Ht {
            // Haematocrit follows haemoglobin.
            return self.mean(Hb, t) * 3.02;
        }
        if a == Rbc {
            return self.mean(Hb, t) / if self.sex == Sex::M { 3.05 } else { 3.0 };
        }
        v
    }

    /// Measured value with analytical noise.
    pub fn measure(&self, a: Analyte, t: Dt, rng: &mut Rng) -> f64 {
        use Analyte::*;
        if a == Egfr {
            let cr = self.measure(Cr, t, rng).max(0.2);
            let f = if self.sex == Sex::F { 0.739 } else { 1.0 };
            return 194.0 * cr.powf(-1.094) * (self.age.max(18) as f64).powf(-0.287) * f;
        }
        let cv = match a {
            Na | Cl => 0.008,
            K | Ca | Tp | Alb | Hba1c => 0.025,
            Crp => 0.12,
            Ast | Alt | Ggt | Ck | Tg | Bnp | Ddimer => 0.12,
            _ => 0.05,
        };
        let v = self.mean(a, t) * rng.normal(1.0, cv);
        v.max(0.01)
    }

    /// Qualitative urinalysis text and whether it is abnormal.
    pub fn qualitative(&self, a: Analyte, t: Dt, rng: &mut Rng) -> (&'static str, bool) {
        let infected = self.mean(Analyte::Crp, t) > 2.0;
        let grade = match a {
            Analyte::UProt => {
                let p = if self.renal {
                    0.7
                } else if self.diabetic {
                    0.35
                } else if infected {
                    0.4
                } else {
                    0.06
                };
                if rng.chance(p) {
                    1 + rng.below(2) as usize
                } else if rng.chance(0.1) {
                    5
                } else {
                    0
                }
            }
            Analyte::UGlu => {
                if self.sglt2 {
                    4
                } else if self.diabetic && self.mean(Analyte::Glu, t) > 180.0 {
                    2
                } else {
                    0
                }
            }
            _ => {
                if infected && rng.chance(0.6) {
                    1 + rng.below(2) as usize
                } else if rng.chance(0.05) {
                    5
                } else {
                    0
                }
            }
        };
        let text = ["(-)", "(1+)", "(2+)", "(3+)", "(4+)", "(±)"][grade];
        (text, grade != 0)
    }
}

fn fmt(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}

fn range(item: &Item, sex: Sex) -> (f64, f64) {
    if sex == Sex::M { item.male } else { item.female }
}

fn range_text(item: &Item, sex: Sex) -> String {
    let (lo, hi) = range(item, sex);
    if hi.is_infinite() {
        format!(">={}", fmt(lo, 0))
    } else {
        format!("{}-{}", fmt(lo, item.decimals), fmt(hi, item.decimals))
    }
}

fn obx3(it: &Item, with_local: bool) -> String {
    match (it.local, with_local) {
        (Some((code, name)), true) => format!("{}^{}^JC10^{}^{}^99X03", it.jlac10, it.name, code, name),
        _ => format!("{}^{}^JC10", it.jlac10, it.name),
    }
}

impl Gen<'_> {
    fn spm(&self, n: usize, spec_id: &str, panel: &Panel, collect: Option<Dt>) -> String {
        let s = Seg::new("SPM").f(1, &n.to_string()).f(2, spec_id).f(
            4,
            &format!("{}^{}^JC10", panel.specimen.code, panel.specimen.name),
        );
        match collect {
            Some(t) => s.f(17, &t12(t)).end(),
            None => s.end(),
        }
    }

    fn obr(
        &self,
        n: usize,
        order: &str,
        spec_id: &str,
        panel: &Panel,
        v: &Visit,
        times: Option<(Dt, Dt)>,
    ) -> String {
        let s = Seg::new("OBR")
            .f(1, &n.to_string())
            .f(2, order)
            .f(3, spec_id)
            .f(4, &format!("{}^{}^99O03", panel.code, panel.name));
        match times {
            Some((collect, report)) => s
                .f(7, &t12(collect))
                .f(8, &t12(collect))
                .f(16, &super::patient::xcn(v.doctor))
                .f(22, &t14(report))
                .f(25, "F")
                .end(),
            None => s.f(16, &super::patient::xcn(v.doctor)).end(),
        }
    }

    fn result_rows(&mut self, panel: &Panel, collect: Dt, with_local: bool) -> Vec<String> {
        let sex = self.p.sex;
        let mut rows = Vec::with_capacity(panel.items.len());
        for (k, a) in panel.items.iter().enumerate() {
            if *a == Analyte::Egfr && self.p.age < 18 {
                continue;
            }
            let it = item(*a);
            let (vt, value, unit, rng_text, flag) = if it.qualitative {
                let (text, abnormal) = self.labs.qualitative(*a, collect, &mut self.rng);
                (
                    "ST",
                    text.to_string(),
                    String::new(),
                    "(-)".to_string(),
                    if abnormal { "A" } else { "" },
                )
            } else {
                let v = self.labs.measure(*a, collect, &mut self.rng);
                let shown = fmt(v, it.decimals);
                let shown_v: f64 = shown.parse().unwrap_or(v);
                let (lo, hi) = range(it, sex);
                let flag = if shown_v > hi {
                    "H"
                } else if shown_v < lo {
                    "L"
                } else {
                    ""
                };
                (
                    "NM",
                    shown,
                    format!("{0}^{0}^ISO+", it.unit),
                    range_text(it, sex),
                    flag,
                )
            };
            rows.push(
                Seg::new("OBX")
                    .f(1, &(k + 1).to_string())
                    .f(2, vt)
                    .f(3, &obx3(it, with_local))
                    .f(5, &value)
                    .f(6, &unit)
                    .f(7, &rng_text)
                    .f(8, flag)
                    .f(11, "F")
                    .f(14, &t12(collect))
                    .end(),
            );
        }
        rows
    }

    /// One lab order: OML-01 at `ordered`, OML-11 results for `collect`
    /// reported at `report` (if before the export).
    pub fn lab(&mut self, ordered: Dt, collect: Dt, report: Dt, v: &Visit, panels: &[&'static Panel]) {
        if ordered > self.export || panels.is_empty() {
            return;
        }
        let order = self.order_no();
        let life = self.pick_life(0.05, 0.012);
        let spec_ids: Vec<String> = (0..panels.len())
            .map(|k| format!("{}{:02}", &order[5..], k + 1))
            .collect();
        // --- OML-01 order ---
        let sent = self.sent(ordered);
        let mut segs = vec![self.msh(sent, "OML^O33^OML_O33"), self.pid(), Gen::pv1(v)];
        for (k, panel) in panels.iter().enumerate() {
            segs.push(self.spm(k + 1, "", panel, Some(collect)));
            segs.push(self.orc("NW", &order, "", ordered, v));
            segs.push(self.obr(1, &order, "", panel, v, None));
            for (j, a) in panel.items.iter().enumerate() {
                let it = item(*a);
                segs.push(
                    Seg::new("OBX")
                        .f(1, &(j + 1).to_string())
                        .f(3, &obx3(it, true))
                        .f(11, "O")
                        .end(),
                );
            }
        }
        let date = Some(ordered.date());
        if life == Life::Deleted {
            let cancel_t = self.sent_after(ordered, 5, 40);
            let mut cancel = segs.clone();
            cancel[0] = self.msh(cancel_t, "OML^O33^OML_O33");
            for s in cancel.iter_mut().filter(|s| s.starts_with("ORC|NW|")) {
                *s = s.replacen("ORC|NW|", "ORC|CA|", 1);
            }
            self.emit(
                date,
                "OML-01",
                &order,
                v.dept.code,
                vec![(sent, segs), (cancel_t, cancel)],
                Life::Deleted,
            );
            return;
        }
        self.emit(
            date,
            "OML-01",
            &order,
            v.dept.code,
            vec![(sent, segs)],
            Life::Plain,
        );
        if report > self.export {
            return;
        }
        // --- OML-11 results ---
        let with_local = self.p.idx.is_multiple_of(2);
        let mut body: Vec<Vec<String>> = Vec::new();
        for (k, panel) in panels.iter().enumerate() {
            let mut part = vec![
                self.spm(k + 1, &spec_ids[k], panel, Some(collect)),
                self.obr(k + 1, &order, &spec_ids[k], panel, v, Some((collect, report))),
                Seg::new("ORC")
                    .f(1, "SC")
                    .f(2, &order)
                    .f(3, &spec_ids[k])
                    .f(5, "CM")
                    .f(9, &t14(report))
                    .f(12, &super::patient::xcn(v.doctor))
                    .f(13, &Gen::short_loc(v))
                    .f(17, &format!("{}^{}^99XY1", v.dept.code, v.dept.name))
                    .f(21, super::dept::HOSPITAL)
                    .f(
                        29,
                        if v.inpatient {
                            "I^入院患者オーダ^HL70482"
                        } else {
                            "O^外来患者オーダ^HL70482"
                        },
                    )
                    .end(),
            ];
            part.extend(self.result_rows(panel, collect, with_local));
            body.push(part);
        }
        let final_t = self.sent(report);
        let mut versions = Vec::new();
        if life == Life::Updated && body.len() >= 2 {
            // Preliminary report with the first specimen only, superseded later.
            let early = self.sent_after(report, -50, -20);
            let mut segs = vec![self.msh(early, "OUL^R22^OUL_R22"), self.pid(), Gen::pv1(v)];
            segs.extend(body[0].iter().cloned());
            versions.push((early, segs));
        }
        let mut segs = vec![self.msh(final_t, "OUL^R22^OUL_R22"), self.pid(), Gen::pv1(v)];
        for part in body {
            segs.extend(part);
        }
        versions.push((final_t, segs));
        let n = versions.len();
        self.emit(
            Some(collect.date()),
            "OML-11",
            &order,
            v.dept.code,
            versions,
            if n > 1 { Life::Updated } else { Life::Plain },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::profile::build;
    use super::super::ts::{at, days};
    use super::*;

    #[test]
    fn arrays_cover_all_items() {
        use super::super::labs::ITEMS;
        assert_eq!(N, ITEMS.len());
        for it in ITEMS {
            assert!((it.a as usize) < N);
        }
    }

    #[test]
    fn infection_crp_rises_then_falls() {
        let end = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
        let p = build(3, 1, end);
        let mut rng = Rng::new(5);
        let mut s = LabState::new(&p, &mut rng, end);
        let t0 = at(end, 8, 0) - days(20);
        s.episodes.push(Episode {
            start: t0,
            trend: Trend::Infection,
            severity: 1.0,
            crp: 0.0,
        });
        let before = s.mean(Analyte::Crp, t0 - days(2));
        let peak = s.mean(Analyte::Crp, t0 + days(2));
        let after = s.mean(Analyte::Crp, t0 + days(14));
        assert!(
            peak > 5.0 && before < 0.5 && after < 1.0,
            "{before} {peak} {after}"
        );
    }
}
