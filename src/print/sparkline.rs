//! A tiny trend line drawn with paths: the shape of the last values at a glance, with the
//! reference range as a grey band that also sets the scale. Values are spaced evenly (not by time): what matters on paper
//! is the direction of the last few results.

use super::page::{Op, Page, Rgb};

pub struct Sparkline<'a> {
    pub values: &'a [f64],
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl Sparkline<'_> {
    pub fn draw(&self, page: &mut Page, x: f32, y: f32, w: f32, h: f32) {
        let finite: Vec<f64> = self.values.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.is_empty() {
            return;
        }
        let Some(scale) = Scale::new(&finite, self.low, self.high) else {
            return;
        };
        let pad = 2.0;
        let to_y = |v: f64| y + pad + (h - 2.0 * pad) * scale.fraction_from_top(v) as f32;
        if let Some((l, u)) = scale.band {
            page.fill(x, to_y(u), w, to_y(l) - to_y(u), Rgb::SHADE);
        }
        page.frame(x, y, w, h, 0.3, Rgb::RULE);
        let n = finite.len();
        let step = if n > 1 {
            (w - 2.0 * pad) / (n - 1) as f32
        } else {
            0.0
        };
        let points: Vec<(f32, f32)> = finite
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let px = if n > 1 {
                    x + pad + step * i as f32
                } else {
                    x + w / 2.0
                };
                (px, to_y(*v))
            })
            .collect();
        if points.len() > 1 {
            page.ops.push(Op::Polyline {
                points: points.clone(),
                width: 0.9,
                color: Rgb::BLACK,
            });
        }
        for (px, py) in points {
            page.ops.push(Op::Dot {
                x: px,
                y: py,
                r: 1.2,
                color: Rgb::BLACK,
            });
        }
    }
}

/// The vertical scale: the reference range is the frame, widened only as far as values leave it,
/// so that a result inside the range sits inside the band and small wobbles look small. A range
/// with one bound (`CRP ≤ 0.14`) runs from zero to it for non-negative values.
#[derive(Debug, PartialEq)]
struct Scale {
    lo: f64,
    hi: f64,
    band: Option<(f64, f64)>,
}

impl Scale {
    fn new(values: &[f64], low: Option<f64>, high: Option<f64>) -> Option<Self> {
        let low = low.filter(|v| v.is_finite());
        let high = high.filter(|v| v.is_finite());
        let vmin = values.iter().copied().fold(f64::INFINITY, f64::min);
        let vmax = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !vmin.is_finite() || !vmax.is_finite() {
            return None;
        }
        let band = match (low, high) {
            (Some(l), Some(u)) if u > l => Some((l, u)),
            (None, Some(u)) if u > 0.0 && vmin >= 0.0 => Some((0.0, u)),
            _ => None,
        };
        let (mut lo, mut hi) = match band {
            Some((l, u)) => (l.min(vmin), u.max(vmax)),
            None => {
                // A lone lower bound still belongs in the frame; no range: the values' own span.
                let b = low.or(high).unwrap_or(vmin);
                (vmin.min(b), vmax.max(b))
            }
        };
        if (hi - lo).abs() < f64::EPSILON {
            lo -= 1.0;
            hi += 1.0;
        }
        Some(Self { lo, hi, band })
    }

    /// 0 at the top of the frame, 1 at the bottom.
    fn fraction_from_top(&self, v: f64) -> f64 {
        (self.hi - v) / (self.hi - self.lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_inside_the_range_are_drawn_on_the_range_scale() {
        let s = Scale::new(&[4.1, 4.3], Some(3.5), Some(5.0)).unwrap();
        assert_eq!(
            s,
            Scale {
                lo: 3.5,
                hi: 5.0,
                band: Some((3.5, 5.0))
            }
        );
        // 4.1 and 4.3 are 0.2 apart on a 1.5-wide scale: a small step, not top to bottom.
        let step = s.fraction_from_top(4.1) - s.fraction_from_top(4.3);
        assert!((step - 0.2 / 1.5).abs() < 1e-9, "{step}");
    }

    #[test]
    fn values_outside_widen_the_scale_only_as_far_as_they_go() {
        let s = Scale::new(&[5.8, 6.4], Some(3.5), Some(5.0)).unwrap();
        assert_eq!(
            s,
            Scale {
                lo: 3.5,
                hi: 6.4,
                band: Some((3.5, 5.0))
            }
        );
    }

    #[test]
    fn an_upper_bound_alone_runs_from_zero() {
        // CRP: before, the scale was 0.14..2.3 and no band was drawn.
        let s = Scale::new(&[0.8, 2.3], None, Some(0.14)).unwrap();
        assert_eq!(
            s,
            Scale {
                lo: 0.0,
                hi: 2.3,
                band: Some((0.0, 0.14))
            }
        );
    }

    #[test]
    fn no_range_uses_the_values_and_a_flat_line_gets_room() {
        assert_eq!(
            Scale::new(&[7.0, 7.0], None, None).unwrap(),
            Scale {
                lo: 6.0,
                hi: 8.0,
                band: None
            }
        );
        assert_eq!(Scale::new(&[], None, None), None);
    }
}
