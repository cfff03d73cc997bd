# tailor's interface in English (en). Message ids are the catalog path
# joined by "-" (templates read `tr.shop.title` for `shop-title`); variables are
# `{ $name }`; plurals are selectors on a number (CLDR categories).

## meta
meta-site_name = tailor
meta-tagline = Made to measure
meta-skip = Skip to content

## nav
nav-login = Log in
nav-items = items in your cart
nav-label = Main navigation
nav-home = Home
nav-preferences = Preferences
nav-contact = Contact
nav-drafts = Drafts
nav-history = History
nav-products = Products
nav-cart = Cart
nav-account = Account
nav-privacy = Privacy

## footer
footer-text = tailor keeps your choices on our server, tied to one private cookie.
footer-privacy = Your data and privacy

## theme
theme-light = Light
theme-dark = Dark
theme-system = System
theme-high_contrast = High contrast

## theme_help
theme_help-light = Dark text on a light background.
theme_help-dark = Light text on a dark background.
theme_help-system = Follows your device's light or dark setting.
theme_help-high_contrast = Maximum contrast, for low vision and bright sunlight.

## lang
lang-en = English
lang-es = Español
lang-fr = Français

## home
home-recent_products = Products you looked at
home-recently_title = Recently viewed
home-banner_link = See more
home-title = Home
home-greeting = Hello, { $name }!
home-welcome = Welcome to tailor
home-lead = This site adapts to you: your theme, your language and your time zone, kept on our server and tied to one private cookie.
home-prefs_title = Your preferences
home-prefs_theme = Theme
home-prefs_language = Language
home-prefs_timezone = Time zone
home-language_auto = from your browser
home-prefs_link = Change preferences
home-name_hint = Tell us your name in the preferences and we will greet you with it.
home-privacy_title = Your data
home-privacy_text = See what we store about you, download it, or erase it.
home-privacy_link = Privacy
home-contact_title = Request information
home-contact_text = Tell us what you need; your draft is kept while you write.
home-contact_link = Open the form
home-products_title = Shop
home-products_text = Browse the catalogue; your cart follows you from page to page.
home-products_link = See the products

## prefs
prefs-title = Preferences
prefs-intro = Choose how tailor looks and speaks to you. Your choices are kept on our server while you keep visiting.
prefs-theme_legend = Theme
prefs-language_label = Language
prefs-language_auto = Follow my browser
prefs-timezone_label = Time zone
prefs-timezone_help = Times on this site are shown in this zone.
prefs-tracking_label = Remember the pages I visit and the campaign that brought me
prefs-tracking_help = Off means nothing about your visits is recorded. A Global Privacy Control or Do Not Track signal from your browser always wins.
prefs-tracking_off_gpc = Recording is off on this browser whatever this box says: it sends Global Privacy Control, which always wins. Your choice here is kept for when it does not.
prefs-tracking_off_dnt = Recording is off on this browser whatever this box says: it sends Do Not Track, which always wins. Your choice here is kept for when it does not.
prefs-regions-utc = Universal time
prefs-regions-africa = Africa
prefs-regions-america = Americas
prefs-regions-antarctica = Antarctica
prefs-regions-arctic = Arctic
prefs-regions-asia = Asia
prefs-regions-atlantic = Atlantic Ocean
prefs-regions-australia = Australia
prefs-regions-europe = Europe
prefs-regions-indian = Indian Ocean
prefs-regions-pacific = Pacific Ocean
prefs-name_label = Your name
prefs-name_help = We greet you with it on the home page. Up to 60 characters; leave it empty for none.
prefs-save = Save preferences
prefs-errors_title = Some fields need your attention.

## flash
flash-cart_added = Added to your cart.
flash-order_placed = Thank you! Your order has been placed.
flash-logged_in = You are logged in.
flash-logged_out = You are logged out. Your cart and preferences are saved to your account for your next visit.
flash-others_logged_out = Your other sessions have been logged out.
flash-password_changed = Your password has been changed and your other sessions ended.
flash-history_cleared = Your history has been cleared.
flash-draft_saved = Your draft has been saved.
flash-draft_discarded = The draft has been discarded.
flash-draft_expired = A draft you had not changed for a long time has expired and was removed.
flash-preferences_saved = Your preferences have been saved.
flash-logged_out_idle = You were logged out after a while without activity. Your cart and preferences are saved to your account: log in to get them back.
flash-logged_out_absolute = You were logged out because your login reached its time limit. Your cart and preferences are saved to your account: log in to get them back.
flash-logged_out_revoked = You were logged out: your password was changed, your account's other sessions were ended, or the account was deleted.
flash-form_stale = That form was opened before you logged in or out in another tab, so nothing was sent. Please fill it in again here.
flash-form_stale_kept = That form was opened before you logged in or out in another tab, so it was not sent. What you typed is kept here: check it and send it again.
flash-already_sent = This form had already been sent: it was sent once, not twice.
flash-already_sent_kept = This form had already been sent from another tab, so it was not sent again. What you typed in this tab is kept as a draft.

## privacy
privacy-stored_tracking = Visits kept: { $visits }. Campaign touches kept: { $touches }. Drafts: { $drafts }.
privacy-opt_in_undecided = Tracking is off until you accept it.
privacy-why_title = Why am I seeing this?
privacy-why_intro = The site chooses some of what you see from what it has stored for you, here, on this server. Right now you are in these groups:
privacy-why_none = You are in none of the site's groups: every page shows its usual content.
privacy-title = Your data and privacy
privacy-intro = Here is everything tailor keeps about you, and how to take it with you or erase it.
privacy-stored_title = What we store
privacy-stored_none = Nothing: you have no session with us.
privacy-stored_since = We have kept a session for you since { $time }.
privacy-stored_list = It holds your preferences (theme, language, time zone, tracking choice and name) and a security token that protects your forms.
privacy-cookie_title = The one cookie
privacy-cookie_text = We set a single cookie holding only a random, encrypted session id. It is sent to this site only, never read by scripts, and expires when you stop visiting.
privacy-tracking_title = Tracking
privacy-tracking_on = Tracking is allowed: the pages you visit and the campaign that brought you may be recorded.
privacy-tracking_off_pref = Tracking is off because you turned it off in your preferences.
privacy-gpc = Your browser sends Global Privacy Control (Sec-GPC: 1), so nothing is recorded.
privacy-dnt = Your browser sends Do Not Track (DNT: 1), so nothing is recorded.
privacy-tracking_link = Tracking settings
privacy-export_title = Take your data
privacy-export_text = Download everything we store about you, as JSON.
privacy-export_link = Download my data
privacy-forget_title = Forget me
privacy-forget_text = Erase your session and everything in it now: preferences, drafts, history, campaign touches and cart. This cannot be undone.
privacy-forget_button = Erase my data
privacy-forgotten = Your data has been erased. Nothing is stored about you any more.
privacy-forgotten_browser = This browser's data has been erased: its session, preferences, drafts, history, campaign touches and cart, and the forms it sent without an account. You are logged out.
privacy-forgotten_account_kept = Your account still exists, with its saved preferences and cart, its orders and the forms you sent while logged in.
privacy-forgotten_delete_link = Log in to delete the account too
privacy-stored_durable = If you place an order or send a form, it is kept in our database: orders for bookkeeping, forms for up to a year. Download my data includes them.
privacy-forget_kept = It also erases the forms you sent without an account. Orders stay for bookkeeping, with nothing left that links them to you.
privacy-forget_account = You are logged in: your account, with its saved preferences and cart and the forms you sent while logged in, stays until you delete it.
privacy-delete_account_link = Delete my account
privacy-account_deleted = Your account has been deleted and every device signed out. Your orders are kept for bookkeeping, without your name.

## errors
errors-heading = Error { $status }
errors-home_link = Go to the home page

## errors.field
errors-field-required = This field is required.
errors-field-invalid_email = Enter an email address like name@example.com.
errors-field-unknown_option = Choose one of the options listed.
errors-field-unknown_theme = Choose one of the themes listed.
errors-field-unknown_language = Choose one of the languages listed.
errors-field-unknown_timezone = Choose a time zone from the list.
errors-field-too_long = Use at most { $max } characters.
errors-field-control_characters = Remove the invisible control characters.
errors-field-invisible = Use at least one visible character.
errors-field-bidi_controls = Remove the characters that change the direction of the text.

## errors.bad_request
errors-bad_request-title = We could not understand that request
errors-bad_request-text = The request was malformed. Please go back and try again.

## errors.unauthorized
errors-unauthorized-title = Please sign in
errors-unauthorized-text = This page needs you to sign in first.

## errors.forbidden
errors-forbidden-title = That was not allowed
errors-forbidden-text = The form may have expired or come from another site. Reload the page and try again.

## errors.not_found
errors-not_found-title = Page not found
errors-not_found-text = There is nothing at this address. It may not exist yet, or it may have moved.

## errors.payload_too_large
errors-payload_too_large-title = That was too much
errors-payload_too_large-text = What you sent is larger than we accept. Please send less.

## errors.unsupported_media_type
errors-unsupported_media_type-title = Unsupported format
errors-unsupported_media_type-text = We cannot read data sent in that format.

## errors.invalid
errors-invalid-title = Some values are not valid
errors-invalid-text = Please check what you sent and try again.

## errors.rate_limited
errors-rate_limited-title = Too many attempts
errors-rate_limited-text = Please wait a few minutes before trying again.

## errors.unavailable
errors-unavailable-title = Temporarily unavailable
errors-unavailable-text = We cannot reach your session right now. Please try again in a moment.

## errors.internal
errors-internal-title = Something went wrong
errors-internal-text = An error happened on our side. Please try again.

## time
time-today = Today
time-yesterday_day = Yesterday
time-date = { $day } { $month } { $year }
time-month_1 = January
time-month_2 = February
time-month_3 = March
time-month_4 = April
time-month_5 = May
time-month_6 = June
time-month_7 = July
time-month_8 = August
time-month_9 = September
time-month_10 = October
time-month_11 = November
time-month_12 = December
time-just_now = just now
time-yesterday = yesterday
time-minutes =
    { $n ->
        [one] 1 minute ago
       *[other] { $n } minutes ago
    }
time-hours =
    { $n ->
        [one] 1 hour ago
       *[other] { $n } hours ago
    }
time-days =
    { $n ->
        [one] 1 day ago
       *[other] { $n } days ago
    }

## drafts
drafts-title = Your drafts
drafts-intro = Forms you started and have not sent yet. They are kept for 30 days after your last change.
drafts-none = You have no saved drafts.
drafts-saved = Saved { $ago }
drafts-resume = Resume
drafts-discard = Discard
drafts-notice = You have a draft from { $time }.
drafts-notice_form = You have a draft of “{ $form }” from { $time }.
drafts-notice_here = Your draft from { $time } is filled in below.
drafts-expires_soon = It will be deleted on { $time }: send it or save it again to keep it.
drafts-notice_resume = Resume
drafts-notice_discard = Discard it
drafts-conflict_title = This draft was changed in another tab or window
drafts-conflict_text = A newer version was saved at { $time }. Your version is shown below: save it to replace the newer one, or use the newer one instead.
drafts-conflict_use_saved = Use the newer version
drafts-conflict_keep_mine = Keep my version
drafts-too_many_sent = You have sent this form many times in the last hour. Your input is kept as a draft: please try again later.
drafts-too_large = This draft is too large to save. Please shorten it.
drafts-too_many = You already have the most drafts we keep. Submit or discard one first.
drafts-nothing_to_save = There is nothing to save yet: type something first.
drafts-status_saved = Draft saved
drafts-status_saving = Saving…
drafts-status_failed = The draft could not be saved. Use the Save draft button.
drafts-status_conflict = This draft was changed in another tab.
drafts-save_button = Save draft
drafts-submit_button = Send
drafts-errors_title = Please correct the fields marked below. Your input is kept as a draft.
drafts-required_note = Fields marked * are required.

## forms.contact
forms-contact-title = Request information
forms-contact-intro = Tell us what you need and we will get back to you. Your answers are saved as a draft while you type, so you can leave and come back.
forms-contact-thanks_title = Thank you!
forms-contact-thanks_text = We have your request and will contact you soon.

## forms.contact.fields
forms-contact-fields-name = Your name
forms-contact-fields-email = Email
forms-contact-fields-company = Company
forms-contact-fields-topic = Topic
forms-contact-fields-message = Message
forms-contact-fields-contact_time = Preferred contact time
forms-contact-fields-newsletter = Send me the monthly newsletter

## forms.contact.options.topic
forms-contact-options-topic-sales = Sales
forms-contact-options-topic-support = Support
forms-contact-options-topic-partnership = Partnership
forms-contact-options-topic-press = Press
forms-contact-options-topic-other = Something else

## forms.contact.options.contact_time
forms-contact-options-contact_time-any = Any time
forms-contact-options-contact_time-morning = Morning
forms-contact-options-contact_time-afternoon = Afternoon
forms-contact-options-contact_time-evening = Evening

## forms.feedback
forms-feedback-title = Feedback
forms-feedback-intro = How are we doing? Your answers are saved as a draft while you type.
forms-feedback-thanks_title = Thank you for your feedback!
forms-feedback-thanks_text = Every message is read by the team.

## forms.feedback.fields
forms-feedback-fields-rating = Your rating
forms-feedback-fields-comments = Comments
forms-feedback-fields-email = Email (if you want an answer)

## forms.feedback.options.rating
forms-feedback-options-rating-5 = 5 — excellent
forms-feedback-options-rating-4 = 4 — good
forms-feedback-options-rating-3 = 3 — fair
forms-feedback-options-rating-2 = 2 — poor
forms-feedback-options-rating-1 = 1 — bad

## forms.common
forms-common-choose = Choose…
forms-common-back_home = Back to the home page
forms-common-another = Give feedback

## admin
admin-submissions_title = Submissions
admin-submissions_none = No form has been submitted yet.
admin-form = Form
admin-submitted_at = Submitted
admin-content = Content
admin-nav_label = Operator reports
admin-orders_title = Orders
admin-orders_none = No order has been placed yet.
admin-orders_count = Total: { $n }. Newest first.
admin-submissions_count = Total: { $n }. Newest first.
admin-csv = Download CSV
admin-number = No.
admin-placed_at = Placed
admin-customer = Account
admin-no_account = no account
admin-items = Items
admin-total = Total
admin-credit = Campaign credit
admin-direct = (direct)
admin-with_account = logged in
admin-paging_label = Pages
admin-page_of = Page { $page } of { $pages }
admin-newer = Newer
admin-older = Older
admin-yes = Yes

## admin.experiments
admin-experiments-title = Experiments
admin-experiments-intro = Each experiment's variants: the visitors who took part, the pages that showed them the slot, and the conversions per goal. A conversion counts once per participant and goal.
admin-experiments-csv = Download CSV
admin-experiments-slot = slot
admin-experiments-flag = flag
admin-experiments-paused = Paused: nobody new takes part, everybody sees control, and nothing is counted; the assignments are kept for when it runs again.
admin-experiments-stopped = Stopped: everybody sees { $winner }, and nothing is counted. The figures below are final.
admin-experiments-version = version { $version }
admin-experiments-changed_on = Weights changed on { $date } (UTC): the figures above count only the participants drawn since (every earlier participant keeps their variant); those of the earlier split are below. Mixing splits would bias the difference and raise false alarms.
admin-experiments-flips = Flips: { $flips } (stored assignments whose variant changed; this must stay 0).
admin-experiments-flips_warning = Some visitors' stored variant changed: they saw more than one variant, so their figures mix both. This is a bug; please report it.
admin-experiments-earlier = Earlier figures: version { $version }
admin-experiments-since = from { $date }
admin-experiments-ended = no longer in the rules file
admin-experiments-variant = Variant
admin-experiments-participants = Participants
admin-experiments-exposures = Exposures
admin-experiments-contact = Contact forms
admin-experiments-checkout = Checkouts
admin-experiments-rate = Rate
admin-experiments-diff = Difference to control (interval)
admin-experiments-baseline = baseline
admin-experiments-not_enough = not enough data
admin-experiments-points = pts
admin-experiments-removed = removed
admin-experiments-none = Nobody has taken part yet.
admin-experiments-no_experiments = The rules file has no experiment, and none has been counted.
admin-experiments-chart = Conversion rate by variant
admin-experiments-method = Rates are conversions per participant. A difference is shown once the variant and control each have at least 100 participants; with several variants, the 5 % error rate is split between their comparisons to control.
admin-experiments-sequential = Always-valid interval (a confidence sequence): it stays right however often you read this page, so you may stop the experiment as soon as an interval leaves out 0. Tuned for { $planned } participants.
admin-experiments-fixed = Fixed-horizon interval (Wald), valid only when read once, at the planned size ({ $planned } participants): read earlier or often, it finds winners that are not there.
admin-experiments-srm_ok = The split matches the weights (p { $p }).
admin-experiments-srm_unknown = The split is checked against the weights once each variant expects 5 participants.
admin-experiments-srm_warning = The split does not match the weights (p { $p }): do not trust these results. Common causes: bots or crawlers counted in one variant, a redirect or a cache that loses one variant's visitors, a page that shows one variant and not the other, or a tracking bug.

## admin.campaigns
admin-campaigns-title = Campaigns
admin-campaigns-intro = Sessions and conversions by campaign, source and medium. Counts are kept as they happen and outlive the sessions that made them.
admin-campaigns-first_touch = First-touch attribution
admin-campaigns-last_touch = Last-touch attribution
admin-campaigns-campaign = Campaign
admin-campaigns-source = Source
admin-campaigns-medium = Medium
admin-campaigns-sessions = Sessions
admin-campaigns-contact = Contact forms
admin-campaigns-checkout = Checkouts
admin-campaigns-none = Nothing counted yet.
admin-campaigns-csv = Download CSV
admin-campaigns-chart_sessions = Sessions by campaign: { $model }
admin-campaigns-chart_conversions = Conversions by campaign: { $model }
admin-campaigns-direct = (direct)
admin-campaigns-not_set = (not set)
admin-campaigns-other = (other)
admin-campaigns-linear = Linear attribution
admin-campaigns-position = Position-based attribution
admin-campaigns-models = Attribution model
admin-campaigns-both_models = First and last touch
admin-campaigns-linear_note = Each conversion is shared equally by the session's recorded touches; sessions count under every value they have a touch of.
admin-campaigns-position_note = Each conversion gives 40 % to the first touch, 40 % to the last and 20 % to those between (50/50 with two touches); sessions count under every value they have a touch of.
admin-campaigns-bad_model = There is no such attribution model; the report shows first and last touch. You asked for:

## history
history-title = Your visit history
history-intro = The pages you opened on this site, newest first, in your time zone.
history-empty = No visits recorded yet.
history-off = Tracking is off for you, so new visits are not recorded.
history-settings_link = Tracking settings
history-clear_button = Clear history
history-chart_title = Most visited pages
history-chart_desc = Bar chart of your most visited pages and how many times you opened each.
history-kept =
    { $count ->
        [one] { $count } visit kept (at most the newest { $max }).
       *[other] { $count } visits kept (at most the newest { $max }).
    }
history-from = from { $origin }

## consent
consent-title = May we remember your visit?
consent-text = With your permission we record the pages you open and the campaign that brought you, to personalise this site. Nothing is recorded until you accept.
consent-accept = Accept
consent-decline = No, thanks

## shop
shop-title = Products
shop-intro = Made-to-measure clothing and accessories. Your cart follows you from page to page.
shop-back = All products
shop-quantity = Quantity
shop-add = Add to cart
shop-in_cart = { $n } already in your cart.

## cart
cart-title = Your cart
cart-empty = Your cart is empty.
cart-browse = Browse the products
cart-caption =
    { $n ->
        [one] { $n } item
       *[other] { $n } items
    }
cart-product = Product
cart-unit_price = Price
cart-subtotal = Subtotal
cart-actions = Actions
cart-update = Update
cart-remove = Remove
cart-total = Total
cart-checkout = Place order

## cart.errors
cart-errors-quantity = Choose a quantity from 1 to 99.
cart-errors-too_many = A cart line holds at most 99 units.
cart-errors-empty = Your cart is empty: there is nothing to order.

## accounts
accounts-login_title = Log in
accounts-login_button = Log in
accounts-register_title = Create an account
accounts-register_intro = With an account your cart and preferences follow you to every device.
accounts-register_button = Create account
accounts-username = Username
accounts-username_help = 3 to 32 letters, digits, dots, dashes or underscores.
accounts-password = Password
accounts-password_help = At least 10 characters.
accounts-no_account = No account yet?
accounts-register_link = Create one
accounts-have_account = Already registered?
accounts-login_link = Log in
accounts-account_title = Your account
accounts-signed_in_as = Signed in as { $name }
accounts-since = since { $time }
accounts-sessions_title = Where you are signed in
accounts-this_device = this device
accounts-unknown_browser = Unknown browser
accounts-last_seen = Last seen { $time }
accounts-logout_others = Log out other sessions
accounts-password_title = Change password
accounts-current_password = Current password
accounts-new_password = New password
accounts-password_ends_sessions = Changing it logs out every other session.
accounts-change_password = Change password
accounts-logout = Log out
accounts-sessions_order = Newest sign-in first.
accounts-signed_in = Signed in { $time }
accounts-delete_title = Delete your account
accounts-delete_text = Deletes your account, its saved preferences and cart, the forms you sent while logged in, and signs out every device. Your orders are kept for bookkeeping, without your name. This cannot be undone.
accounts-delete_password = Your password, to confirm
accounts-delete_button = Delete my account

## accounts.errors
accounts-errors-wrong_credentials = The username or password is not right.
accounts-errors-locked = Too many failed attempts. Please wait a few minutes and try again.
accounts-errors-username_invalid = Choose a username of 3 to 32 letters, digits, dots, dashes or underscores.
accounts-errors-username_taken = That username is taken. Please choose another.
accounts-errors-password_short = Use a password of at least 10 characters.
accounts-errors-password_long = Use a password of at most 256 characters.
accounts-errors-current_wrong = Your current password is not right.
accounts-errors-delete_wrong = That is not your password; the account was not deleted.
accounts-errors-busy = The server is busy checking passwords. Please try again in a moment.
accounts-errors-register_limited = Too many accounts were created from your network. Please try again later.
accounts-errors-unavailable = We could not finish signing you in. Please try again in a moment.

why-and = { ", and " }
why-or = { " or " }
why-not = not ({ $what })
why-in_segment = in the group { $name }
why-first_touch = first touch
why-last_touch = last touch
why-source = source
why-medium = medium
why-campaign = campaign
why-field_is = { $touch } { $field } is { $values }
why-at_least = at least { $min }
why-at_most = at most { $max }
why-between = between { $min } and { $max }
why-any_number = any number
why-visits = { $n ->
    [one] 1 visit
   *[other] { $n } visits
} ({ $range })
why-sessions = { $n ->
    [one] 1 separate visit
   *[other] { $n } separate visits
} ({ $range })
why-visited = { $n ->
    [one] 1 visit
   *[other] { $n } visits
} of { $path } (at least { $min })
why-referrer = came from { $origins }
why-days = first visit { $days ->
    [one] 1 day ago
   *[other] { $days } days ago
} ({ $range })
why-language = language is { $language }
why-theme = theme is { $value }
why-logged_in = logged in
why-not_logged_in = not logged in
why-cart_items = { $n ->
    [one] 1 item in the cart
   *[other] { $n } items in the cart
} ({ $range })
why-draft = a saved draft of { $value }
why-experiment = you take part in this test: you were shown one of its { $versions } versions at random, and you keep it
why-attribute = { $name } is { $value }

orders-title = Your order
orders-reference = Order { $reference }
orders-placed_at = Placed { $time }.
orders-items = What you ordered
orders-kept = We keep your order for bookkeeping. Only this browser, or your account, can open this page.
orders-continue = Continue shopping
orders-your_orders = Your orders
orders-none = No orders yet.
orders-item_count = { $n ->
    [one] 1 item
   *[other] { $n } items
}

## consent ledger
privacy-gpc_honoured = This site honours Global Privacy Control: a browser that sends it is never tracked, and the signal is written in your consent record.
privacy-consent_title = Your consent record
privacy-policy_version = The privacy policy in force is version { $version }.
privacy-policy_date = It took effect on { $date }.
privacy-consent_id = Your consent id:
privacy-consent_hand_over = Every choice you made, and every privacy signal your browser sent, is kept with this id and nothing else that names you. Hand it over to prove what you chose. Forgetting you forgets the id; the record stays, anonymous.
privacy-consent_history = Your choices
privacy-consent_none = No choice recorded yet.
consent-changed_title = Our privacy policy has changed
consent-changed_on = Our privacy policy changed on { $date }.
consent-changed = Our privacy policy has changed since you last chose.
consent-changed_notice = Please look at your choice again: may we keep recording the pages you open and the campaign that brought you?
consent-changed_ask = Nothing is recorded until you choose again: may we record the pages you open and the campaign that brought you?
consent-privacy_link = What we keep
admin-consent-title = Consent
admin-consent-intro = Every consent choice and privacy signal, per day (UTC) and policy version. Each choice is kept in the ledger with an anonymous consent id; look one up to see its history.
admin-consent-policy = Policy version in force:
admin-consent-since = since
admin-consent-lookup = Consent id
admin-consent-find = Look up
admin-consent-bad_id = That is not a consent id: one is up to 64 letters, digits, - and _.
admin-consent-history = History of this consent id
admin-consent-csv = Download CSV
admin-consent-by_day = Consent by day and policy version
admin-consent-day = Day
admin-consent-version = Policy version
admin-consent-asked = Asked
admin-consent-granted = Granted
admin-consent-refused = Refused
admin-consent-withdrawn = Withdrawn
admin-consent-none = Nothing recorded yet.
admin-consent-notes = Asked: the times the banner or the policy notice was shown. GPC and DNT: signals recorded once per session, plus requests from browsers without a session, counted only.
admin-consent-time = Time
admin-consent-choice = Choice
admin-consent-source = Source
admin-consent-scope = Scope
admin-consent-language = Language
admin-consent-from_banner = Banner
admin-consent-from_preferences = Preferences page
admin-consent-from_api = API
admin-consent-from_gpc = Global Privacy Control
admin-consent-from_dnt = Do Not Track
admin-consent-scope_all = Tracking and experiments
admin-consent-no_events = No event for this consent id.

## undecided visitors
admin-undecided-title = Visitors who have not chosen yet (estimated)
admin-undecided-intro = Counted without a cookie, never mixed with the figures above: page views of visitors who have not answered the consent banner and send neither GPC nor DNT, and unique visitors estimated from a daily salted hash of their network, browser and host (the salt is random and forgotten after 25 hours). Known bots are counted apart.
admin-undecided-by_day = Per day, the last 30 days (UTC)
admin-undecided-visitors = Visitors (estimated)
admin-undecided-page_views = Page views
admin-undecided-bots = Bot page views
admin-undecided-none = Nothing counted yet.
admin-undecided-paths = Most viewed pages, the last 30 days
admin-undecided-path = Page
privacy-cookieless_counts = Visitors who have not chosen yet are counted without a cookie and without storing anything about them: a page view per page, and an estimate of the day’s visitors made from a hash of their network, browser and the site, salted with a random key that is forgotten after 25 hours. Refusing, or sending GPC or DNT, stops it.
