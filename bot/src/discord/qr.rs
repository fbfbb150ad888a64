//! QR codes of access links: a PNG for Discord, text for the terminal (the demo).

use qrcode::QrCode;
use qrcode::render::unicode;

/// A PNG of the QR code, or `None` if the text cannot be encoded (too long).
pub fn png(text: &str) -> Option<Vec<u8>> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let image = code
        .render::<image::Luma<u8>>()
        .min_dimensions(320, 320)
        .build();
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some(out.into_inner())
}

/// The QR code drawn with half-block characters, two rows per line.
pub fn text(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<unicode::Dense1x2>()
            .dark_color(unicode::Dense1x2::Light)
            .light_color(unicode::Dense1x2::Dark)
            .build(),
    )
}
