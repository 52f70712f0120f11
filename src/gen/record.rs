//! Patient-level records: ADT-00 (demographics), ADT-61 (allergies),
//! PPR-01 (all diagnoses in one file) and OMD diet orders.

use super::dept::{Dept, Doctor};
use super::dx::{Diagnosis, SEVERITY};
use super::exams::Diet;
use super::hl7::Seg;
use super::names::zen;
use super::patient::{Gen, Life, Visit, xcn};
use super::profile::{AllergyRec, AllergyState};
use super::ts::{Dt, d8, t10, t12, t14};
use super::writer::NO_ORDER;
use chrono::{NaiveDate, TimeDelta};

/// One diagnosis as it evolves over time.
pub struct DxRec {
    pub dx: &'static Diagnosis,
    pub instance: String,
    pub added: Dt,
    pub onset: NaiveDate,
    pub resolved: Option<Dt>,
    pub suspected: bool,
    pub dept: &'static Dept,
    pub doctor: &'static Doctor,
    pub inpatient: bool,
    pub main: bool,
}

/// Maximum number of PPR-01 versions kept per patient.
const MAX_PPR_VERSIONS: usize = 6;

impl Gen<'_> {
    pub fn add_dx(&mut self, key: &str, added: Dt, v: &Visit, suspected: bool, main: bool) -> usize {
        let dx = super::dx::diagnosis(key);
        let onset = (added - TimeDelta::days(self.rng.int(0, 5)))
            .date()
            .max(self.p.birth);
        let instance = self.order_no();
        self.dxs.push(DxRec {
            dx,
            instance,
            added,
            onset,
            resolved: None,
            suspected,
            dept: v.dept,
            doctor: v.doctor,
            inpatient: v.inpatient,
            main,
        });
        self.dxs.len() - 1
    }

    fn prb(&self, d: &DxRec, as_of: Dt) -> Vec<String> {
        let resolved = d.resolved.filter(|r| *r <= as_of);
        let kind = if d.inpatient { "H^入院時" } else { "O^外来時" };
        let mut s = Seg::new("PRB")
            .f(1, "AD")
            .f(2, &d8(resolved.unwrap_or(d.added).date()))
            .f(3, &format!("{}^{}^MDCDX2", d.dx.medis, d.dx.name))
            .f(4, &d.instance)
            .f(7, &d8(d.added.date()));
        if let Some(r) = resolved {
            s = s.f(9, &d8(r.date()));
        }
        s = s.f(10, &format!("{}^^I10^{}^JHSD0004", d.dx.icd10, kind));
        if d.suspected {
            s = s.f(13, "1");
        }
        s = match resolved {
            Some(r) => s.f(14, "R^治癒^HL70241").f(15, &d8(r.date())),
            None => s.f(14, "N^回復せず^HL70241").f(15, &d8(d.added.date())),
        };
        s = s.f(16, &d8(d.onset)).f(17, d.dx.name);
        if d.main {
            s = s.f(18, "1^主診断^JHSD0007");
        }
        let zpr = format!(
            "ZPR||{}^{}^MDCDX2|||{}^{}^MDCDX2",
            d.dx.medis, d.dx.name, d.dx.exch, d.dx.name
        );
        let orc = Seg::new("ORC")
            .f(1, "NW")
            .f(2, &d.instance)
            .f(
                12,
                &format!(
                    "{}~^{}^{}^^^^^^^L^^^^^P",
                    xcn(d.doctor),
                    d.doctor.family_kana,
                    d.doctor.given_kana
                ),
            )
            .f(17, &format!("{}^{}^MML028", d.dept.code, d.dept.name))
            .f(
                29,
                if d.inpatient {
                    "I^入院患者オーダ^HL70482"
                } else {
                    "O^外来患者オーダ^HL70482"
                },
            )
            .end();
        vec![s.end(), zpr, orc]
    }

    /// PPR-01: one file holding every diagnosis, re-sent whenever one changes.
    pub fn write_ppr(&mut self) {
        if self.dxs.is_empty() {
            return;
        }
        let mut times: Vec<Dt> = self
            .dxs
            .iter()
            .flat_map(|d| std::iter::once(d.added).chain(d.resolved))
            .filter(|t| *t <= self.export)
            .collect();
        // One version per day, taken at the day's last change.
        times.sort();
        times.reverse();
        times.dedup_by_key(|t| t.date());
        times.reverse();
        if times.len() > MAX_PPR_VERSIONS {
            times.drain(..times.len() - MAX_PPR_VERSIONS);
        }
        let mut versions = Vec::new();
        let mut dept = "-";
        for t in times {
            let sent = self.sent(t + TimeDelta::minutes(5));
            let mut segs = vec![self.msh(sent, "PPR^ZD1^PPR_ZD1"), self.pid()];
            let mut any = false;
            for i in 0..self.dxs.len() {
                if self.dxs[i].added <= t {
                    segs.extend(self.prb(&self.dxs[i], t));
                    dept = self.dxs[i].dept.code;
                    any = true;
                }
            }
            if any {
                versions.push((sent, segs));
            }
        }
        if versions.is_empty() {
            return;
        }
        let life = if versions.len() > 1 {
            Life::Updated
        } else {
            Life::Plain
        };
        self.emit(None, "PPR-01", NO_ORDER, dept, versions, life);
    }

    fn pid_full(&self, address: &str, phone: &str, updated: Dt) -> String {
        let p = self.p;
        Seg::new("PID")
            .f(1, "0001")
            .f(3, &format!("{}^^^^PI", p.id))
            .f(5, &self.name_field())
            .f(7, &d8(p.birth))
            .f(8, p.sex.code())
            .f(11, &format!("^^^^{}^JPN^H^{}", p.postcode, address))
            .f(13, &format!("^PRN^PH^^^^^^^^^{phone}"))
            .f(33, &t14(updated))
            .end()
    }

    fn al1_rows(allergies: &[AllergyRec]) -> Vec<String> {
        allergies
            .iter()
            .filter(|a| a.state != AllergyState::RemovedLater)
            .enumerate()
            .map(|(i, a)| {
                Seg::new("AL1")
                    .f(1, &(i + 1).to_string())
                    .f(2, a.allergen.kind.code())
                    .f(
                        3,
                        &format!("{}^{}^{}", a.allergen.code, a.allergen.name, a.allergen.system),
                    )
                    .f(4, SEVERITY[a.severity])
                    .t(5, a.reaction)
                    .end()
            })
            .collect()
    }

    /// ADT-00 (ADT^A08): demographics, body measurements, blood type, allergies, insurance.
    pub fn write_adt00(&mut self) {
        let p = self.p;
        let mut versions = Vec::new();
        // About 10 % moved house or changed phone number inside the window.
        let update_at = if self.rng.chance(0.1) && !self.touchpoints.is_empty() {
            let i = self.rng.below(self.touchpoints.len() as u64) as usize;
            Some(self.touchpoints[i].0)
        } else {
            None
        };
        let mut stamps = vec![self.registered];
        if let Some(t) = update_at {
            stamps.push(t);
        }
        let n = stamps.len();
        for (k, t) in stamps.into_iter().enumerate() {
            let latest = k + 1 == n;
            let (address, phone) = if latest {
                (p.address.clone(), p.phone.clone())
            } else {
                let head: String = p.address.chars().take(7).collect();
                let old = format!(
                    "{}{}{}－{}－{}",
                    head,
                    self.rng.pick(super::names::TOWNS),
                    zen(self.rng.int(1, 9) as u32),
                    zen(self.rng.int(1, 30) as u32),
                    zen(self.rng.int(1, 20) as u32)
                );
                (old, p.phone.clone())
            };
            let sent = self.sent(t);
            let mut segs = vec![
                self.msh(sent, "ADT^A08^ADT_A01"),
                format!("EVN||{}|||||SEND001", t12(t)),
                self.pid_full(&address, &phone, t),
            ];
            if let Some(kin) = &p.kin {
                segs.push(
                    Seg::new("NK1")
                        .f(1, "1")
                        .f(
                            2,
                            &format!(
                                "{}^{}^^^^^L^I~{}^{}^^^^^L^P",
                                kin.family, kin.given.kanji, kin.family_kana, kin.given.kana
                            ),
                        )
                        .f(3, &format!("{}^{}^HL70063", kin.rel.0, kin.rel.1))
                        .f(5, &format!("^PRN^PH^^^^^^^^^{}", kin.phone))
                        .end(),
                );
            }
            segs.push("PV1|0001|O".to_string());
            let w = if latest {
                p.weight
            } else {
                p.weight + self.rng.normal(0.0, 1.5)
            };
            segs.push(format!(
                "OBX|1|NM|9N001000000000001^身長^JC10||{:.1}|cm^cm^ISO+|||||F",
                p.height
            ));
            segs.push(format!(
                "OBX|2|NM|9N006000000000001^体重^JC10||{:.1}|kg^kg^ISO+|||||F",
                w
            ));
            if let Some((abo, rh_neg)) = p.blood {
                segs.push(format!(
                    "OBX|3|CWE|5H010000001999911^血液型-ABO式^JC10||{abo}^{abo}^JSHR002||||||F"
                ));
                let rh = if rh_neg {
                    "-^Rh(-)^JSHR002"
                } else {
                    "+^Rh(+)^JSHR002"
                };
                segs.push(format!(
                    "OBX|4|CWE|5H020000001999911^血液型-Rh式^JC10||{rh}||||||F"
                ));
            }
            segs.extend(Gen::al1_rows(&p.allergies));
            segs.push(format!(
                "IN1|1|{}|{}|||||||||{}|||||SEL^本人^HL70063",
                p.insurance.0,
                p.insurance.1,
                d8((self.registered - TimeDelta::days(400)).date().max(p.birth))
            ));
            versions.push((sent, segs));
        }
        let life = if versions.len() > 1 {
            Life::Updated
        } else {
            Life::Plain
        };
        self.emit(None, "ADT-00", NO_ORDER, "-", versions, life);
    }

    fn iam(i: usize, a: &AllergyRec, removed: bool) -> String {
        let mut s = Seg::new("IAM")
            .f(1, &i.to_string())
            .f(2, a.allergen.kind.code())
            .f(
                3,
                &format!("{}^{}^{}", a.allergen.code, a.allergen.name, a.allergen.system),
            )
            .f(4, SEVERITY[a.severity])
            .t(5, a.reaction)
            .f(
                6,
                if removed {
                    "D^削除^HL70323"
                } else {
                    "A^追加^HL70323"
                },
            );
        if !a.onset.is_empty() {
            s = s.f(11, &a.onset);
        }
        if !a.onset_text.is_empty() {
            s = s.t(12, a.onset_text);
        }
        s.end()
    }

    /// ADT-61 (ADT^A60): allergies; a second version when one is added or removed.
    pub fn write_adt61(&mut self) {
        let p = self.p;
        if p.allergies.is_empty() {
            return;
        }
        let changes = p.allergies.iter().any(|a| a.state != AllergyState::Stable);
        let first = self.registered + TimeDelta::days(self.rng.int(0, 30));
        let first = first.min(self.export - TimeDelta::days(1));
        let mut versions = Vec::new();
        let build = |g: &mut Gen, t: Dt, later: bool| -> Vec<String> {
            let sent = g.sent(t);
            let mut segs = vec![
                g.msh(sent, "ADT^A60^ADT_A60"),
                format!("EVN||{}", t14(t)),
                g.pid(),
            ];
            let mut i = 0;
            for a in &p.allergies {
                let include = later || a.state != AllergyState::AddedLater;
                if include {
                    i += 1;
                    segs.push(Gen::iam(i, a, later && a.state == AllergyState::RemovedLater));
                }
            }
            segs
        };
        let stable_any = p.allergies.iter().any(|a| a.state != AllergyState::AddedLater);
        if stable_any {
            let t1 = self.sent(first);
            versions.push((t1, build(self, first, false)));
        }
        if changes {
            let later = self
                .touchpoints
                .iter()
                .map(|(t, _)| *t)
                .find(|t| *t > first + TimeDelta::days(1))
                .unwrap_or(first + TimeDelta::days(1));
            if later <= self.export || versions.is_empty() {
                let later = later.min(self.export);
                let t2 = self.sent(later);
                versions.push((t2, build(self, later, true)));
            }
        }
        let life = if versions.len() > 1 {
            Life::Updated
        } else {
            Life::Plain
        };
        if !versions.is_empty() {
            self.emit(None, "ADT-61", NO_ORDER, "-", versions, life);
        }
    }

    /// OMD (OMD^O03): a diet order starting at `start`.
    pub fn diet(&mut self, ordered: Dt, start: Dt, v: &Visit, d: &Diet) {
        if ordered > self.export {
            return;
        }
        let order = self.order_no();
        let sent = self.sent(ordered);
        let clerk = self.clerk();
        let orc = Seg::new("ORC")
            .f(1, "NW")
            .f(2, &order)
            .f(9, &t14(ordered))
            .f(10, &clerk)
            .f(12, &xcn(v.doctor))
            .f(17, &format!("{}^{}^99XY1", v.dept.code, v.dept.name))
            .end();
        let tq1 = if d.code == "090" {
            format!("TQ1|1||||||{}||R^ルーチン^HL70485", t10(start))
        } else {
            format!(
                "TQ1|1||TID&１日３回&HL70335||||{}||R^ルーチン^HL70485",
                t10(start)
            )
        };
        let mut ods = Seg::new("ODS")
            .f(1, "D")
            .f(3, &format!("{}^{}^99XY3", d.code, d.name));
        if !d.comment.is_empty() {
            ods = ods.t(4, d.comment);
        }
        let ods = ods.end();
        let segs = vec![
            self.msh(sent, "OMD^O03^OMD_O03"),
            self.pid(),
            Gen::pv1(v),
            orc,
            tq1,
            ods,
        ];
        self.emit(
            Some(ordered.date()),
            "OMD",
            &order,
            v.dept.code,
            vec![(sent, segs)],
            Life::Plain,
        );
    }
}
