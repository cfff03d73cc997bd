//! The static HTML page both benchmark peers answer: 4,500 bytes, as large as
//! tailor's home page.

pub static PAGE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut page = String::from("<!doctype html><html lang=\"en\"><body>");
    while page.len() < 4500 - "</body></html>".len() {
        page.push_str("<p>A static paragraph of text.</p>\n");
    }
    page.truncate(4500 - "</body></html>".len());
    page.push_str("</body></html>");
    page
});
