package domain

import "strings"

// BrowserOf names the browser and system a session's User-Agent header
// describes, for people ("Edge on Windows", "Safari on iPhone"), or
// "Unknown browser" when it names none the app knows. The order of the
// checks matters: Edge and Opera say Chrome too, and Chrome says Safari.
func BrowserOf(userAgent string) string {
	ua := strings.ToLower(userAgent)
	browser := "Unknown browser"
	for _, b := range []struct{ token, name string }{
		{"edg/", "Edge"}, {"edga/", "Edge"}, {"edgios/", "Edge"}, {"opr/", "Opera"}, {"firefox/", "Firefox"}, {"fxios/", "Firefox"},
		{"crios/", "Chrome"}, {"chromium/", "Chromium"}, {"headlesschrome/", "Chrome (headless)"}, {"chrome/", "Chrome"},
		{"safari/", "Safari"}, {"curl/", "curl"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	for _, s := range []struct{ token, name string }{
		{"iphone", "iPhone"}, {"ipad", "iPad"}, {"android", "Android"}, {"windows", "Windows"}, {"cros", "ChromeOS"},
		{"mac os x", "macOS"}, {"macintosh", "macOS"}, {"linux", "Linux"},
	} {
		if strings.Contains(ua, s.token) {
			return browser + " on " + s.name
		}
	}
	return browser
}
