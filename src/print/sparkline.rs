//! A tiny trend line drawn with paths: the shape of the last values at a glance, with the
//! reference range as a grey band. Values are spaced evenly (not by time): what matters on paper
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
        let mut lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
        let mut hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for b in [self.low, self.high]
            .into_iter()
            .flatten()
            .filter(|b| b.is_finite())
        {
            lo = lo.min(b);
            hi = hi.max(b);
        }
        if (hi - lo).abs() < f64::EPSILON {
            lo -= 1.0;
            hi += 1.0;
        }
        let pad = 2.0;
        let to_y = |v: f64| y + pad + (h - 2.0 * pad) * ((hi - v) / (hi - lo)) as f32;
        if let (Some(l), Some(u)) = (self.low, self.high)
            && l.is_finite()
            && u.is_finite()
            && u > l
        {
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
