//! The revenue chart for `/stats`: daily bars over 30 days as a PNG, drawn with `image`.
//! Numbers go in the embed next to it; the picture shows the shape.

use image::{ImageFormat, Rgba, RgbaImage};
use nebula_engine::reports::DayLine;

pub const WIDTH: u32 = 800;
pub const HEIGHT: u32 = 300;
const MARGIN: u32 = 24;
const BACKGROUND: Rgba<u8> = Rgba([0x2b, 0x2d, 0x31, 0xff]);
const AXIS: Rgba<u8> = Rgba([0x99, 0x9a, 0x9d, 0xff]);
const BAR: Rgba<u8> = Rgba([0x58, 0x65, 0xf2, 0xff]);
const TODAY: Rgba<u8> = Rgba([0x57, 0xf2, 0x87, 0xff]);

fn fill(img: &mut RgbaImage, x0: u32, y0: u32, x1: u32, y1: u32, colour: Rgba<u8>) {
    for y in y0..y1.min(img.height()) {
        for x in x0..x1.min(img.width()) {
            img.put_pixel(x, y, colour);
        }
    }
}

/// Daily revenue in `currency` as bars (today in green), scaled to the best day. `None` when
/// the image cannot be encoded (never in practice).
pub fn revenue_png(days: &[DayLine], currency: &str) -> Option<Vec<u8>> {
    let mut img = RgbaImage::from_pixel(WIDTH, HEIGHT, BACKGROUND);
    let base = HEIGHT - MARGIN;
    let plot_h = HEIGHT - 2 * MARGIN;
    fill(&mut img, MARGIN, MARGIN, MARGIN + 2, base, AXIS);
    fill(&mut img, MARGIN, base, WIDTH - MARGIN, base + 2, AXIS);
    let values: Vec<i64> = days
        .iter()
        .map(|d| d.revenue.get(currency).map_or(0, |m| m.minor.max(0)))
        .collect();
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let n = values.len().max(1) as u32;
    let slot = (WIDTH - 2 * MARGIN - 4) / n;
    for (i, v) in values.iter().enumerate() {
        let h = ((*v as i128 * i128::from(plot_h)) / i128::from(max)) as u32;
        let x0 = MARGIN + 4 + i as u32 * slot + 2;
        let colour = if i + 1 == values.len() { TODAY } else { BAR };
        // A hairline for empty days, so the 30 slots stay visible.
        let h = h.max(1);
        fill(
            &mut img,
            x0,
            base - h,
            x0 + slot.saturating_sub(4).max(1),
            base,
            colour,
        );
    }
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).ok()?;
    Some(out.into_inner())
}
