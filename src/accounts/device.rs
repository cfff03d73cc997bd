//! A short description of a device from its `User-Agent`: "Firefox on Linux".
//! Only the browser family and the operating system, for the account page.

/// The browser family of a `User-Agent`.
pub fn browser(ua: &str) -> &'static str {
    // Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
    const FAMILIES: [(&str, &str); 7] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("CriOS/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ];
    FAMILIES
        .iter()
        .find(|(token, _)| ua.contains(token))
        .map_or("", |(_, name)| name)
}

/// The operating system of a `User-Agent`.
pub fn os(ua: &str) -> &'static str {
    const SYSTEMS: [(&str, &str); 7] = [
        ("Windows", "Windows"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];
    SYSTEMS
        .iter()
        .find(|(token, _)| ua.contains(token))
        .map_or("", |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_agents() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0";
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1";
        let android =
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36";
        assert_eq!((browser(firefox), os(firefox)), ("Firefox", "Linux"));
        assert_eq!((browser(edge), os(edge)), ("Edge", "Windows"));
        assert_eq!((browser(iphone), os(iphone)), ("Safari", "iOS"));
        assert_eq!((browser(android), os(android)), ("Chrome", "Android"));
        assert_eq!((browser("<script>"), os("")), ("", ""));
    }
}
