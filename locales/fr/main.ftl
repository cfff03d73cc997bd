# tailor's interface in French (fr). Message ids are the catalog path
# joined by "-" (templates read `tr.shop.title` for `shop-title`); variables are
# `{ $name }`; plurals are selectors on a number (CLDR categories).

## meta
meta-site_name = tailor
meta-tagline = Sur mesure
meta-skip = Aller au contenu

## nav
nav-login = Se connecter
nav-items = articles dans votre panier
nav-label = Navigation principale
nav-home = Accueil
nav-preferences = Préférences
nav-contact = Contact
nav-drafts = Brouillons
nav-history = Historique
nav-products = Produits
nav-cart = Panier
nav-account = Compte
nav-privacy = Confidentialité

## footer
footer-text = tailor garde vos choix sur notre serveur, liés à un seul cookie privé.
footer-privacy = Vos données et votre vie privée

## theme
theme-light = Clair
theme-dark = Sombre
theme-system = Système
theme-high_contrast = Contraste élevé

## theme_help
theme_help-light = Texte sombre sur fond clair.
theme_help-dark = Texte clair sur fond sombre.
theme_help-system = Suit le réglage clair ou sombre de votre appareil.
theme_help-high_contrast = Contraste maximal, pour la basse vision et le plein soleil.

## lang
lang-en = English
lang-es = Español
lang-fr = Français

## home
home-recent_products = Les produits que vous avez consultés
home-recently_title = Consultés récemment
home-banner_link = En savoir plus
home-title = Accueil
home-greeting = Bonjour, { $name } !
home-welcome = Bienvenue chez tailor
home-lead = Ce site s’adapte à vous : votre thème, votre langue et votre fuseau horaire, gardés sur notre serveur et liés à un seul cookie privé.
home-prefs_title = Vos préférences
home-prefs_theme = Thème
home-prefs_language = Langue
home-prefs_timezone = Fuseau horaire
home-language_auto = selon votre navigateur
home-prefs_link = Modifier les préférences
home-name_hint = Indiquez votre nom dans les préférences et nous vous saluerons par votre nom.
home-privacy_title = Vos données
home-privacy_text = Voyez ce que nous gardons sur vous, téléchargez-le ou effacez-le.
home-privacy_link = Confidentialité
home-contact_title = Demande d’informations
home-contact_text = Dites-nous ce dont vous avez besoin ; votre brouillon est gardé pendant que vous écrivez.
home-contact_link = Ouvrir le formulaire
home-products_title = Boutique
home-products_text = Parcourez le catalogue ; votre panier vous suit de page en page.
home-products_link = Voir les produits

## prefs
prefs-title = Préférences
prefs-intro = Choisissez l’apparence de tailor et la langue dans laquelle il vous parle. Vos choix sont gardés sur notre serveur tant que vous revenez.
prefs-theme_legend = Thème
prefs-language_label = Langue
prefs-language_auto = Suivre mon navigateur
prefs-timezone_label = Fuseau horaire
prefs-timezone_help = Les heures de ce site sont affichées dans ce fuseau.
prefs-tracking_label = Garder en mémoire les pages que je visite et la campagne qui m’a amené ici
prefs-tracking_help = Désactivé, rien de vos visites n’est enregistré. Un signal Global Privacy Control ou Do Not Track de votre navigateur l’emporte toujours.
prefs-tracking_off_gpc = Rien n’est enregistré sur ce navigateur, quoi que dise cette case : il envoie Global Privacy Control, qui l’emporte toujours. Votre choix est gardé pour quand il ne l’enverra pas.
prefs-tracking_off_dnt = Rien n’est enregistré sur ce navigateur, quoi que dise cette case : il envoie Do Not Track, qui l’emporte toujours. Votre choix est gardé pour quand il ne l’enverra pas.
prefs-regions-utc = Temps universel
prefs-regions-africa = Afrique
prefs-regions-america = Amérique
prefs-regions-antarctica = Antarctique
prefs-regions-arctic = Arctique
prefs-regions-asia = Asie
prefs-regions-atlantic = Océan Atlantique
prefs-regions-australia = Australie
prefs-regions-europe = Europe
prefs-regions-indian = Océan Indien
prefs-regions-pacific = Océan Pacifique
prefs-name_label = Votre nom
prefs-name_help = Nous vous saluons avec sur la page d’accueil. Jusqu’à 60 caractères ; laissez vide pour aucun.
prefs-save = Enregistrer les préférences
prefs-errors_title = Certains champs demandent votre attention.

## flash
flash-cart_added = Ajouté à votre panier.
flash-order_placed = Merci ! Votre commande est passée.
flash-logged_in = Vous êtes connecté.
flash-logged_out = Vous êtes déconnecté. Votre panier et vos préférences restent enregistrés dans votre compte pour la prochaine fois.
flash-others_logged_out = Vos autres sessions ont été déconnectées.
flash-password_changed = Votre mot de passe a été changé et vos autres sessions fermées.
flash-history_cleared = Votre historique a été effacé.
flash-draft_saved = Votre brouillon a été enregistré.
flash-draft_discarded = Le brouillon a été supprimé.
flash-draft_expired = Un brouillon que vous n’aviez pas modifié depuis longtemps a expiré et a été supprimé.
flash-preferences_saved = Vos préférences ont été enregistrées.
flash-logged_out_idle = Vous avez été déconnecté après un moment d’inactivité. Votre panier et vos préférences sont gardés dans votre compte : connectez-vous pour les retrouver.
flash-logged_out_absolute = Vous avez été déconnecté car votre connexion a atteint sa durée maximale. Votre panier et vos préférences sont gardés dans votre compte : connectez-vous pour les retrouver.
flash-logged_out_revoked = Vous avez été déconnecté : votre mot de passe a été changé, les autres sessions de votre compte ont été fermées, ou le compte a été supprimé.
flash-form_stale = Ce formulaire a été ouvert avant que vous ne vous connectiez ou déconnectiez dans un autre onglet, donc rien n’a été envoyé. Veuillez le remplir à nouveau ici.
flash-form_stale_kept = Ce formulaire a été ouvert avant que vous ne vous connectiez ou déconnectiez dans un autre onglet, donc il n’a pas été envoyé. Ce que vous aviez saisi est conservé ici : vérifiez-le et renvoyez-le.
flash-already_sent = Ce formulaire avait déjà été envoyé : il a été envoyé une fois, pas deux.
flash-already_sent_kept = Ce formulaire avait déjà été envoyé depuis un autre onglet, il n’a donc pas été renvoyé. Ce que vous avez saisi dans cet onglet est conservé comme brouillon.

## privacy
privacy-stored_tracking = Visites gardées : { $visits }. Contacts de campagne gardés : { $touches }. Brouillons : { $drafts }.
privacy-opt_in_undecided = Le suivi est désactivé tant que vous ne l’acceptez pas.
privacy-why_title = Pourquoi est-ce que je vois ceci ?
privacy-why_intro = Le site choisit une partie de ce que vous voyez d’après ce qu’il a gardé pour vous, ici, sur ce serveur. En ce moment, vous êtes dans ces groupes :
privacy-why_none = Vous n’êtes dans aucun des groupes du site : chaque page montre son contenu habituel.
privacy-title = Vos données et votre vie privée
privacy-intro = Voici tout ce que tailor garde sur vous, et comment l’emporter ou l’effacer.
privacy-stored_title = Ce que nous gardons
privacy-stored_none = Rien : vous n’avez pas de session chez nous.
privacy-stored_since = Nous gardons une session pour vous depuis le { $time }.
privacy-stored_list = Elle contient vos préférences (thème, langue, fuseau horaire, choix de suivi et nom) et un jeton de sécurité qui protège vos formulaires.
privacy-cookie_title = L’unique cookie
privacy-cookie_text = Nous posons un seul cookie, qui ne contient qu’un identifiant de session aléatoire et chiffré. Il n’est envoyé qu’à ce site, n’est jamais lu par des scripts et expire quand vous cessez de venir.
privacy-tracking_title = Suivi
privacy-tracking_on = Le suivi est autorisé : les pages que vous visitez et la campagne qui vous a amené peuvent être enregistrées.
privacy-tracking_off_pref = Le suivi est désactivé car vous l’avez désactivé dans vos préférences.
privacy-gpc = Votre navigateur envoie Global Privacy Control (Sec-GPC: 1) : rien n’est enregistré.
privacy-dnt = Votre navigateur envoie Do Not Track (DNT: 1) : rien n’est enregistré.
privacy-tracking_link = Réglages du suivi
privacy-export_title = Emportez vos données
privacy-export_text = Téléchargez tout ce que nous gardons sur vous, en JSON.
privacy-export_link = Télécharger mes données
privacy-forget_title = Oubliez-moi
privacy-forget_text = Effacez maintenant votre session et tout ce qu’elle contient : préférences, brouillons, historique, contacts de campagne et panier. C’est irréversible.
privacy-forget_button = Effacer mes données
privacy-forgotten = Vos données ont été effacées. Plus rien n’est gardé sur vous.
privacy-forgotten_browser = Les données de ce navigateur ont été effacées : sa session, ses préférences, brouillons, historique, contacts de campagne et panier, et les formulaires envoyés sans compte. Vous êtes déconnecté.
privacy-forgotten_account_kept = Votre compte existe toujours, avec ses préférences et son panier enregistrés, ses commandes et les formulaires envoyés en étant connecté.
privacy-forgotten_delete_link = Connectez-vous pour supprimer aussi le compte
privacy-stored_durable = Si vous passez une commande ou envoyez un formulaire, il est gardé dans notre base de données : les commandes pour la comptabilité, les formulaires jusqu’à un an. « Télécharger mes données » les inclut.
privacy-forget_kept = Cela efface aussi les formulaires envoyés sans compte. Les commandes restent pour la comptabilité, sans plus rien qui les relie à vous.
privacy-forget_account = Vous êtes connecté : votre compte, avec ses préférences et son panier enregistrés et les formulaires envoyés en étant connecté, reste jusqu’à ce que vous le supprimiez.
privacy-delete_account_link = Supprimer mon compte
privacy-account_deleted = Votre compte a été supprimé et tous vos appareils déconnectés. Vos commandes sont gardées pour la comptabilité, sans votre nom.

## errors
errors-heading = Erreur { $status }
errors-home_link = Aller à la page d’accueil

## errors.field
errors-field-required = Ce champ est obligatoire.
errors-field-invalid_email = Saisissez une adresse e-mail comme nom@exemple.fr.
errors-field-unknown_option = Choisissez l’une des options proposées.
errors-field-unknown_theme = Choisissez l’un des thèmes proposés.
errors-field-unknown_language = Choisissez l’une des langues proposées.
errors-field-unknown_timezone = Choisissez un fuseau horaire dans la liste.
errors-field-too_long = Utilisez au plus { $max } caractères.
errors-field-control_characters = Retirez les caractères de contrôle invisibles.
errors-field-invisible = Utilisez au moins un caractère visible.
errors-field-bidi_controls = Retirez les caractères qui changent le sens du texte.

## errors.bad_request
errors-bad_request-title = Nous n’avons pas compris cette requête
errors-bad_request-text = La requête était mal formée. Revenez en arrière et réessayez.

## errors.unauthorized
errors-unauthorized-title = Veuillez vous connecter
errors-unauthorized-text = Cette page demande que vous vous connectiez d’abord.

## errors.forbidden
errors-forbidden-title = Ce n’était pas autorisé
errors-forbidden-text = Le formulaire a peut-être expiré ou vient d’un autre site. Rechargez la page et réessayez.

## errors.not_found
errors-not_found-title = Page introuvable
errors-not_found-text = Il n’y a rien à cette adresse. Elle n’existe peut-être pas encore, ou elle a changé.

## errors.payload_too_large
errors-payload_too_large-title = C’était trop
errors-payload_too_large-text = Ce que vous avez envoyé dépasse ce que nous acceptons. Envoyez moins.

## errors.unsupported_media_type
errors-unsupported_media_type-title = Format non pris en charge
errors-unsupported_media_type-text = Nous ne savons pas lire des données envoyées dans ce format.

## errors.invalid
errors-invalid-title = Certaines valeurs ne sont pas valides
errors-invalid-text = Vérifiez ce que vous avez envoyé et réessayez.

## errors.rate_limited
errors-rate_limited-title = Trop de tentatives
errors-rate_limited-text = Attendez quelques minutes avant de réessayer.

## errors.unavailable
errors-unavailable-title = Momentanément indisponible
errors-unavailable-text = Nous ne pouvons pas joindre votre session pour le moment. Réessayez dans un instant.

## errors.internal
errors-internal-title = Un problème est survenu
errors-internal-text = Une erreur s’est produite de notre côté. Réessayez.

## time
time-today = Aujourd’hui
time-yesterday_day = Hier
time-date = { $day } { $month } { $year }
time-month_1 = janvier
time-month_2 = février
time-month_3 = mars
time-month_4 = avril
time-month_5 = mai
time-month_6 = juin
time-month_7 = juillet
time-month_8 = août
time-month_9 = septembre
time-month_10 = octobre
time-month_11 = novembre
time-month_12 = décembre
time-just_now = à l’instant
time-yesterday = hier
time-minutes =
    { $n ->
        [one] il y a { $n } minute
       *[other] il y a { $n } minutes
    }
time-hours =
    { $n ->
        [one] il y a { $n } heure
       *[other] il y a { $n } heures
    }
time-days =
    { $n ->
        [one] il y a { $n } jour
       *[other] il y a { $n } jours
    }

## drafts
drafts-title = Vos brouillons
drafts-intro = Les formulaires commencés et pas encore envoyés. Ils sont gardés 30 jours après votre dernière modification.
drafts-none = Vous n’avez aucun brouillon enregistré.
drafts-saved = Enregistré { $ago }
drafts-resume = Reprendre
drafts-discard = Supprimer
drafts-notice = Vous avez un brouillon du { $time }.
drafts-notice_form = Vous avez un brouillon de « { $form } » du { $time }.
drafts-notice_here = Votre brouillon du { $time } est repris ci-dessous.
drafts-expires_soon = Il sera supprimé le { $time } : envoyez-le ou enregistrez-le de nouveau pour le garder.
drafts-notice_resume = Reprendre
drafts-notice_discard = Le supprimer
drafts-conflict_title = Ce brouillon a été modifié dans un autre onglet ou une autre fenêtre
drafts-conflict_text = Une version plus récente a été enregistrée à { $time }. Votre version est affichée ci-dessous : enregistrez-la pour remplacer la plus récente, ou utilisez la plus récente.
drafts-conflict_use_saved = Utiliser la version la plus récente
drafts-conflict_keep_mine = Garder ma version
drafts-too_many_sent = Vous avez envoyé ce formulaire de nombreuses fois dans l’heure. Votre saisie est gardée comme brouillon : réessayez plus tard.
drafts-too_large = Ce brouillon est trop long pour être enregistré. Raccourcissez-le.
drafts-too_many = Vous avez déjà le nombre maximal de brouillons. Envoyez-en ou supprimez-en un d’abord.
drafts-nothing_to_save = Il n’y a encore rien à enregistrer : saisissez d’abord quelque chose.
drafts-status_saved = Brouillon enregistré
drafts-status_saving = Enregistrement…
drafts-status_failed = Le brouillon n’a pas pu être enregistré. Utilisez le bouton Enregistrer le brouillon.
drafts-status_conflict = Ce brouillon a été modifié dans un autre onglet.
drafts-save_button = Enregistrer le brouillon
drafts-submit_button = Envoyer
drafts-errors_title = Corrigez les champs signalés ci-dessous. Votre saisie est gardée comme brouillon.
drafts-required_note = Les champs marqués * sont obligatoires.

## forms.contact
forms-contact-title = Demande d’informations
forms-contact-intro = Dites-nous ce dont vous avez besoin et nous vous répondrons. Vos réponses sont enregistrées comme brouillon pendant que vous tapez : vous pouvez partir et revenir.
forms-contact-thanks_title = Merci !
forms-contact-thanks_text = Nous avons bien reçu votre demande et vous contacterons bientôt.

## forms.contact.fields
forms-contact-fields-name = Votre nom
forms-contact-fields-email = E-mail
forms-contact-fields-company = Entreprise
forms-contact-fields-topic = Sujet
forms-contact-fields-message = Message
forms-contact-fields-contact_time = Moment préféré pour vous contacter
forms-contact-fields-newsletter = Envoyez-moi la lettre d’information mensuelle

## forms.contact.options.topic
forms-contact-options-topic-sales = Ventes
forms-contact-options-topic-support = Assistance
forms-contact-options-topic-partnership = Partenariat
forms-contact-options-topic-press = Presse
forms-contact-options-topic-other = Autre chose

## forms.contact.options.contact_time
forms-contact-options-contact_time-any = N’importe quand
forms-contact-options-contact_time-morning = Le matin
forms-contact-options-contact_time-afternoon = L’après-midi
forms-contact-options-contact_time-evening = Le soir

## forms.feedback
forms-feedback-title = Votre avis
forms-feedback-intro = Comment nous en sortons-nous ? Vos réponses sont enregistrées comme brouillon pendant que vous tapez.
forms-feedback-thanks_title = Merci pour votre avis !
forms-feedback-thanks_text = Chaque message est lu par l’équipe.

## forms.feedback.fields
forms-feedback-fields-rating = Votre note
forms-feedback-fields-comments = Commentaires
forms-feedback-fields-email = E-mail (si vous voulez une réponse)

## forms.feedback.options.rating
forms-feedback-options-rating-5 = 5 — excellent
forms-feedback-options-rating-4 = 4 — bien
forms-feedback-options-rating-3 = 3 — correct
forms-feedback-options-rating-2 = 2 — médiocre
forms-feedback-options-rating-1 = 1 — mauvais

## forms.common
forms-common-choose = Choisir…
forms-common-back_home = Retour à la page d’accueil
forms-common-another = Donner votre avis

## admin
admin-submissions_title = Envois
admin-submissions_none = Aucun formulaire n’a encore été envoyé.
admin-form = Formulaire
admin-submitted_at = Envoyé
admin-content = Contenu
admin-nav_label = Rapports des opérateurs
admin-orders_title = Commandes
admin-orders_none = Aucune commande n’a encore été passée.
admin-orders_count = Total : { $n }. Les plus récentes d’abord.
admin-submissions_count = Total : { $n }. Les plus récents d’abord.
admin-csv = Télécharger le CSV
admin-number = N°
admin-placed_at = Passée
admin-customer = Compte
admin-no_account = sans compte
admin-items = Articles
admin-total = Total
admin-credit = Crédit de campagne
admin-direct = (direct)
admin-with_account = connecté
admin-paging_label = Pages
admin-page_of = Page { $page } sur { $pages }
admin-newer = Plus récents
admin-older = Plus anciens
admin-yes = Oui

## admin.experiments
admin-experiments-title = Expériences
admin-experiments-intro = Les variantes de chaque expérience : les visiteurs qui y ont pris part, les pages qui leur ont montré l’emplacement et les conversions par objectif. Une conversion compte une fois par participant et par objectif.
admin-experiments-csv = Télécharger le CSV
admin-experiments-slot = emplacement
admin-experiments-flag = indicateur
admin-experiments-paused = En pause : personne de nouveau n’y prend part, tout le monde voit le contrôle et rien n’est compté ; les affectations sont gardées pour sa reprise.
admin-experiments-stopped = Arrêtée : tout le monde voit { $winner } et rien n’est compté. Les chiffres ci-dessous sont définitifs.
admin-experiments-version = version { $version }
admin-experiments-changed_on = Les poids ont changé le { $date } (UTC) : les chiffres ci-dessus ne comptent que les participants affectés depuis (les précédents gardent leur variante) ; ceux de la répartition précédente sont plus bas. Mélanger les répartitions fausserait l’écart et donnerait de fausses alertes.
admin-experiments-flips = Changements : { $flips } (affectations gardées dont la variante a changé ; doit rester à 0).
admin-experiments-flips_warning = La variante gardée de certains visiteurs a changé : ils ont vu plus d’une variante, leurs chiffres mêlent donc les deux. C’est un bogue ; merci de le signaler.
admin-experiments-earlier = Chiffres précédents : version { $version }
admin-experiments-since = depuis le { $date }
admin-experiments-ended = n’est plus dans le fichier de règles
admin-experiments-variant = Variante
admin-experiments-participants = Participants
admin-experiments-exposures = Expositions
admin-experiments-contact = Formulaires de contact
admin-experiments-checkout = Commandes
admin-experiments-rate = Taux
admin-experiments-diff = Écart au contrôle (intervalle)
admin-experiments-baseline = référence
admin-experiments-not_enough = pas assez de données
admin-experiments-points = pts
admin-experiments-removed = retirée
admin-experiments-none = Personne n’y a encore pris part.
admin-experiments-no_experiments = Le fichier de règles n’a aucune expérience, et aucune n’a été comptée.
admin-experiments-chart = Taux de conversion par variante
admin-experiments-method = Les taux sont des conversions par participant. Un écart s’affiche quand la variante et le contrôle ont chacun au moins 100 participants ; avec plusieurs variantes, le taux d’erreur de 5 % est partagé entre leurs comparaisons au contrôle.
admin-experiments-sequential = Intervalle toujours valide (une séquence de confiance) : il reste juste quel que soit le nombre de fois où vous lisez cette page, vous pouvez donc arrêter l’expérience dès qu’un intervalle exclut 0. Réglé pour { $planned } participants.
admin-experiments-fixed = Intervalle à horizon fixe (Wald), valide seulement lu une fois, à la taille prévue ({ $planned } participants) : lu plus tôt ou souvent, il trouve des gagnants qui n’existent pas.
admin-experiments-srm_ok = La répartition correspond aux poids (p { $p }).
admin-experiments-srm_unknown = La répartition est vérifiée par rapport aux poids dès que chaque variante attend 5 participants.
admin-experiments-srm_warning = La répartition ne correspond pas aux poids (p { $p }) : ne vous fiez pas à ces résultats. Causes fréquentes : des robots comptés dans une variante, une redirection ou un cache qui perd les visiteurs d’une variante, une page qui montre une variante et pas l’autre, ou une erreur de suivi.

## admin.campaigns
admin-campaigns-title = Campagnes
admin-campaigns-intro = Sessions et conversions par campagne, source et support. Les comptes sont tenus au fil de l’eau et survivent aux sessions qui les ont faits.
admin-campaigns-first_touch = Attribution au premier contact
admin-campaigns-last_touch = Attribution au dernier contact
admin-campaigns-campaign = Campagne
admin-campaigns-source = Source
admin-campaigns-medium = Support
admin-campaigns-sessions = Sessions
admin-campaigns-contact = Formulaires de contact
admin-campaigns-checkout = Commandes
admin-campaigns-none = Rien n’a encore été compté.
admin-campaigns-csv = Télécharger le CSV
admin-campaigns-chart_sessions = Sessions par campagne : { $model }
admin-campaigns-chart_conversions = Conversions par campagne : { $model }
admin-campaigns-direct = (direct)
admin-campaigns-not_set = (non renseigné)
admin-campaigns-other = (autres)
admin-campaigns-linear = Attribution linéaire
admin-campaigns-position = Attribution selon la position
admin-campaigns-models = Modèle d’attribution
admin-campaigns-both_models = Premier et dernier contact
admin-campaigns-linear_note = Chaque conversion est partagée à parts égales entre les contacts enregistrés de la session ; les sessions comptent pour chaque valeur dont elles ont un contact.
admin-campaigns-position_note = Chaque conversion donne 40 % au premier contact, 40 % au dernier et 20 % à ceux d’entre les deux (50/50 avec deux contacts) ; les sessions comptent pour chaque valeur dont elles ont un contact.
admin-campaigns-bad_model = Ce modèle d’attribution n’existe pas ; le rapport montre le premier et le dernier contact. Vous avez demandé :

## history
history-title = Votre historique de visites
history-intro = Les pages que vous avez ouvertes sur ce site, les plus récentes d’abord, dans votre fuseau horaire.
history-empty = Aucune visite enregistrée pour l’instant.
history-off = Le suivi est désactivé pour vous : les nouvelles visites ne sont pas enregistrées.
history-settings_link = Réglages du suivi
history-clear_button = Effacer l’historique
history-chart_title = Pages les plus visitées
history-chart_desc = Diagramme en barres de vos pages les plus visitées et du nombre de fois où vous avez ouvert chacune.
history-kept =
    { $count ->
        [one] { $count } visite gardée (au plus les { $max } plus récentes).
       *[other] { $count } visites gardées (au plus les { $max } plus récentes).
    }
history-from = depuis { $origin }

## consent
consent-title = Pouvons-nous garder en mémoire votre visite ?
consent-text = Avec votre accord, nous enregistrons les pages que vous ouvrez et la campagne qui vous a amené, pour personnaliser ce site. Rien n’est enregistré tant que vous n’acceptez pas.
consent-accept = Accepter
consent-decline = Non, merci

## shop
shop-title = Produits
shop-intro = Vêtements et accessoires sur mesure. Votre panier vous suit de page en page.
shop-back = Tous les produits
shop-quantity = Quantité
shop-add = Ajouter au panier
shop-in_cart = Déjà { $n } dans votre panier.

## cart
cart-title = Votre panier
cart-empty = Votre panier est vide.
cart-browse = Parcourir les produits
cart-caption =
    { $n ->
        [one] { $n } article
       *[other] { $n } articles
    }
cart-product = Produit
cart-unit_price = Prix
cart-subtotal = Sous-total
cart-actions = Actions
cart-update = Mettre à jour
cart-remove = Retirer
cart-total = Total
cart-checkout = Passer la commande

## cart.errors
cart-errors-quantity = Choisissez une quantité de 1 à 99.
cart-errors-too_many = Une ligne du panier contient au plus 99 unités.
cart-errors-empty = Votre panier est vide : il n’y a rien à commander.

## accounts
accounts-login_title = Se connecter
accounts-login_button = Se connecter
accounts-register_title = Créer un compte
accounts-register_intro = Avec un compte, votre panier et vos préférences vous suivent sur tous vos appareils.
accounts-register_button = Créer le compte
accounts-username = Nom d’utilisateur
accounts-username_help = De 3 à 32 lettres, chiffres, points, tirets ou tirets bas.
accounts-password = Mot de passe
accounts-password_help = Au moins 10 caractères.
accounts-no_account = Pas encore de compte ?
accounts-register_link = En créer un
accounts-have_account = Déjà inscrit ?
accounts-login_link = Se connecter
accounts-account_title = Votre compte
accounts-signed_in_as = Connecté en tant que { $name }
accounts-since = depuis le { $time }
accounts-sessions_title = Où vous êtes connecté
accounts-this_device = cet appareil
accounts-unknown_browser = Navigateur inconnu
accounts-last_seen = Vu pour la dernière fois { $time }
accounts-logout_others = Déconnecter les autres sessions
accounts-password_title = Changer de mot de passe
accounts-current_password = Mot de passe actuel
accounts-new_password = Nouveau mot de passe
accounts-password_ends_sessions = Le changer déconnecte toutes les autres sessions.
accounts-change_password = Changer le mot de passe
accounts-logout = Se déconnecter
accounts-sessions_order = Connexions les plus récentes d’abord.
accounts-signed_in = Connecté { $time }
accounts-delete_title = Supprimer votre compte
accounts-delete_text = Supprime votre compte, ses préférences et son panier enregistrés, les formulaires envoyés en étant connecté, et déconnecte tous vos appareils. Vos commandes sont gardées pour la comptabilité, sans votre nom. C’est irréversible.
accounts-delete_password = Votre mot de passe, pour confirmer
accounts-delete_button = Supprimer mon compte

## accounts.errors
accounts-errors-wrong_credentials = Le nom d’utilisateur ou le mot de passe est incorrect.
accounts-errors-locked = Trop de tentatives échouées. Attendez quelques minutes et réessayez.
accounts-errors-username_invalid = Choisissez un nom d’utilisateur de 3 à 32 lettres, chiffres, points, tirets ou tirets bas.
accounts-errors-username_taken = Ce nom d’utilisateur est pris. Choisissez-en un autre.
accounts-errors-password_short = Utilisez un mot de passe d’au moins 10 caractères.
accounts-errors-password_long = Utilisez un mot de passe d’au plus 256 caractères.
accounts-errors-current_wrong = Votre mot de passe actuel est incorrect.
accounts-errors-delete_wrong = Ce n’est pas votre mot de passe ; le compte n’a pas été supprimé.
accounts-errors-busy = Le serveur est occupé à vérifier des mots de passe. Réessayez dans un instant.
accounts-errors-register_limited = Trop de comptes ont été créés depuis votre réseau. Réessayez plus tard.
accounts-errors-unavailable = Nous n’avons pas pu terminer votre connexion. Réessayez dans un instant.

why-and = { ", et " }
why-or = { " ou " }
why-not = pas ({ $what })
why-in_segment = dans le groupe { $name }
why-first_touch = premier contact
why-last_touch = dernier contact
why-source = source
why-medium = support
why-campaign = campagne
why-field_is = { $touch } : { $field } est { $values }
why-at_least = au moins { $min }
why-at_most = au plus { $max }
why-between = entre { $min } et { $max }
why-any_number = n’importe quel nombre
why-visits = { $n ->
    [one] { $n } visite
   *[other] { $n } visites
} ({ $range })
why-sessions = { $n ->
    [one] { $n } visite distincte
   *[other] { $n } visites distinctes
} ({ $range })
why-visited = { $n ->
    [one] { $n } visite
   *[other] { $n } visites
} de { $path } (au moins { $min })
why-referrer = venu de { $origins }
why-days = première visite il y a { $days ->
    [one] { $days } jour
   *[other] { $days } jours
} ({ $range })
why-language = la langue est { $language }
why-theme = le thème est { $value }
why-logged_in = connecté
why-not_logged_in = pas connecté
why-cart_items = { $n ->
    [one] { $n } article dans le panier
   *[other] { $n } articles dans le panier
} ({ $range })
why-draft = un brouillon enregistré de { $value }
why-experiment = vous participez à ce test : une de ses { $versions } versions vous a été montrée au hasard, et vous la gardez
why-attribute = { $name } vaut { $value }

orders-title = Votre commande
orders-reference = Commande { $reference }
orders-placed_at = Passée le { $time }.
orders-items = Ce que vous avez commandé
orders-kept = Nous gardons votre commande pour la comptabilité. Seul ce navigateur, ou votre compte, peut ouvrir cette page.
orders-continue = Continuer vos achats
orders-your_orders = Vos commandes
orders-none = Pas encore de commande.
orders-item_count = { $n ->
    [one] { $n } article
   *[other] { $n } articles
}

## consent ledger
privacy-gpc_honoured = Ce site respecte Global Privacy Control : un navigateur qui l’envoie n’est jamais suivi, et le signal est inscrit dans votre registre de consentement.
privacy-consent_title = Votre registre de consentement
privacy-policy_version = La politique de confidentialité en vigueur est la version { $version }.
privacy-policy_date = Elle s’applique depuis le { $date }.
privacy-consent_id = Votre identifiant de consentement :
privacy-consent_hand_over = Chacun de vos choix, et chaque signal de confidentialité envoyé par votre navigateur, est gardé avec cet identifiant et rien d’autre qui vous nomme. Transmettez-le pour prouver ce que vous avez choisi. Vous oublier oublie l’identifiant ; le registre reste, anonyme.
privacy-consent_history = Vos choix
privacy-consent_none = Aucun choix enregistré pour l’instant.
consent-changed_title = Notre politique de confidentialité a changé
consent-changed_on = Notre politique de confidentialité a changé le { $date }.
consent-changed = Notre politique de confidentialité a changé depuis votre dernier choix.
consent-changed_notice = Revoyez votre choix : pouvons-nous continuer à enregistrer les pages que vous ouvrez et la campagne qui vous a amené ?
consent-changed_ask = Rien n’est enregistré avant votre nouveau choix : pouvons-nous enregistrer les pages que vous ouvrez et la campagne qui vous a amené ?
consent-privacy_link = Ce que nous gardons
admin-consent-title = Consentement
admin-consent-intro = Chaque choix de consentement et chaque signal de confidentialité, par jour (UTC) et version de la politique. Chaque choix est gardé au registre avec un identifiant anonyme ; cherchez-en un pour voir son historique.
admin-consent-policy = Version de la politique en vigueur :
admin-consent-since = depuis le
admin-consent-lookup = Identifiant de consentement
admin-consent-find = Chercher
admin-consent-bad_id = Ce n’est pas un identifiant de consentement : il compte jusqu’à 64 lettres, chiffres, - et _.
admin-consent-history = Historique de cet identifiant
admin-consent-csv = Télécharger le CSV
admin-consent-by_day = Consentement par jour et version de la politique
admin-consent-day = Jour
admin-consent-version = Version de la politique
admin-consent-asked = Demandés
admin-consent-granted = Accordés
admin-consent-refused = Refusés
admin-consent-withdrawn = Retirés
admin-consent-none = Rien d’enregistré pour l’instant.
admin-consent-notes = Demandés : les fois où le bandeau ou l’avis de changement a été affiché. GPC et DNT : signaux enregistrés une fois par session, plus les requêtes de navigateurs sans session, seulement comptées.
admin-consent-time = Heure
admin-consent-choice = Choix
admin-consent-source = Source
admin-consent-scope = Portée
admin-consent-language = Langue
admin-consent-from_banner = Bandeau
admin-consent-from_preferences = Page des préférences
admin-consent-from_api = API
admin-consent-from_gpc = Global Privacy Control
admin-consent-from_dnt = Do Not Track
admin-consent-scope_all = Suivi et expériences
admin-consent-no_events = Aucun événement pour cet identifiant.

## undecided visitors
admin-undecided-title = Visiteurs qui n’ont pas encore choisi (estimation)
admin-undecided-intro = Comptés sans cookie, jamais mêlés aux chiffres ci-dessus : pages vues par les visiteurs qui n’ont pas répondu au bandeau de consentement et n’envoient ni GPC ni DNT, et visiteurs uniques estimés à partir d’un hachage quotidien salé de leur réseau, de leur navigateur et de l’hôte (le sel est aléatoire et oublié après 25 heures). Les robots connus sont comptés à part.
admin-undecided-by_day = Par jour, les 30 derniers jours (UTC)
admin-undecided-visitors = Visiteurs (estimation)
admin-undecided-page_views = Pages vues
admin-undecided-bots = Pages vues par des robots
admin-undecided-none = Rien de compté pour l’instant.
admin-undecided-paths = Pages les plus vues, les 30 derniers jours
admin-undecided-path = Page
privacy-cookieless_counts = Les visiteurs qui n’ont pas encore choisi sont comptés sans cookie et sans rien garder sur eux : une vue par page, et une estimation des visiteurs du jour faite d’un hachage de leur réseau, de leur navigateur et du site, salé d’une clé aléatoire oubliée après 25 heures. Refuser, ou envoyer GPC ou DNT, l’arrête.
