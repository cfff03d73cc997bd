# tailor's interface in Spanish (es). Message ids are the catalog path
# joined by "-" (templates read `tr.shop.title` for `shop-title`); variables are
# `{ $name }`; plurals are selectors on a number (CLDR categories).

## meta
meta-site_name = tailor
meta-tagline = A medida
meta-skip = Saltar al contenido

## nav
nav-login = Entrar
nav-items = artículos en tu carrito
nav-label = Navegación principal
nav-home = Inicio
nav-preferences = Preferencias
nav-contact = Contacto
nav-drafts = Borradores
nav-history = Historial
nav-products = Productos
nav-cart = Carrito
nav-account = Cuenta
nav-privacy = Privacidad

## footer
footer-text = tailor guarda tus elecciones en nuestro servidor, ligadas a una única cookie privada.
footer-privacy = Tus datos y tu privacidad

## theme
theme-light = Claro
theme-dark = Oscuro
theme-system = Sistema
theme-high_contrast = Alto contraste

## theme_help
theme_help-light = Texto oscuro sobre fondo claro.
theme_help-dark = Texto claro sobre fondo oscuro.
theme_help-system = Sigue el ajuste claro u oscuro de tu dispositivo.
theme_help-high_contrast = Contraste máximo, para baja visión y luz solar intensa.

## lang
lang-en = English
lang-es = Español
lang-fr = Français

## home
home-recent_products = Productos que has visto
home-recently_title = Visto recientemente
home-banner_link = Ver más
home-title = Inicio
home-greeting = ¡Hola, { $name }!
home-welcome = Te damos la bienvenida a tailor
home-lead = Este sitio se adapta a ti: tu tema, tu idioma y tu zona horaria, guardados en nuestro servidor y ligados a una única cookie privada.
home-prefs_title = Tus preferencias
home-prefs_theme = Tema
home-prefs_language = Idioma
home-prefs_timezone = Zona horaria
home-language_auto = según tu navegador
home-prefs_link = Cambiar preferencias
home-name_hint = Dinos tu nombre en las preferencias y te saludaremos con él.
home-privacy_title = Tus datos
home-privacy_text = Mira lo que guardamos sobre ti, descárgalo o bórralo.
home-privacy_link = Privacidad
home-contact_title = Solicitar información
home-contact_text = Cuéntanos qué necesitas; tu borrador se guarda mientras escribes.
home-contact_link = Abrir el formulario
home-products_title = Tienda
home-products_text = Explora el catálogo; tu carrito te acompaña de página en página.
home-products_link = Ver los productos

## prefs
prefs-title = Preferencias
prefs-intro = Elige cómo se ve tailor y en qué idioma te habla. Guardamos tus elecciones en nuestro servidor mientras sigas visitándonos.
prefs-theme_legend = Tema
prefs-language_label = Idioma
prefs-language_auto = Según mi navegador
prefs-timezone_label = Zona horaria
prefs-timezone_help = Las horas de este sitio se muestran en esta zona.
prefs-tracking_label = Recordar las páginas que visito y la campaña que me trajo
prefs-tracking_help = Desactivado, no se registra nada de tus visitas. La señal Global Privacy Control o Do Not Track de tu navegador siempre prevalece.
prefs-tracking_off_gpc = En este navegador no se registra nada, marques lo que marques: envía Global Privacy Control, que siempre prevalece. Tu elección se guarda para cuando no lo envíe.
prefs-tracking_off_dnt = En este navegador no se registra nada, marques lo que marques: envía Do Not Track, que siempre prevalece. Tu elección se guarda para cuando no lo envíe.
prefs-regions-utc = Tiempo universal
prefs-regions-africa = África
prefs-regions-america = América
prefs-regions-antarctica = Antártida
prefs-regions-arctic = Ártico
prefs-regions-asia = Asia
prefs-regions-atlantic = Océano Atlántico
prefs-regions-australia = Australia
prefs-regions-europe = Europa
prefs-regions-indian = Océano Índico
prefs-regions-pacific = Océano Pacífico
prefs-name_label = Tu nombre
prefs-name_help = Te saludamos con él en la página de inicio. Hasta 60 caracteres; déjalo vacío si no quieres ninguno.
prefs-save = Guardar preferencias
prefs-errors_title = Algunos campos necesitan tu atención.

## flash
flash-cart_added = Añadido a tu carrito.
flash-order_placed = ¡Gracias! Tu pedido se ha realizado.
flash-logged_in = Has iniciado sesión.
flash-logged_out = Has cerrado sesión. Tu carrito y tus preferencias quedan guardados en tu cuenta para la próxima vez.
flash-others_logged_out = Se han cerrado tus otras sesiones.
flash-password_changed = Tu contraseña se ha cambiado y tus otras sesiones se han cerrado.
flash-history_cleared = Tu historial se ha borrado.
flash-draft_saved = Tu borrador se ha guardado.
flash-draft_discarded = El borrador se ha descartado.
flash-draft_expired = Un borrador que llevabas mucho tiempo sin cambiar ha caducado y se ha eliminado.
flash-preferences_saved = Tus preferencias se han guardado.
flash-logged_out_idle = Se cerró tu sesión tras un tiempo sin actividad. Tu cesta y tus preferencias están guardadas en tu cuenta: inicia sesión para recuperarlas.
flash-logged_out_absolute = Se cerró tu sesión porque alcanzó su tiempo máximo. Tu cesta y tus preferencias están guardadas en tu cuenta: inicia sesión para recuperarlas.
flash-logged_out_revoked = Se cerró tu sesión: se cambió tu contraseña, se cerraron las demás sesiones de tu cuenta o se eliminó la cuenta.
flash-form_stale = Ese formulario se abrió antes de que iniciaras o cerraras sesión en otra pestaña, así que no se envió nada. Vuelve a rellenarlo aquí.
flash-form_stale_kept = Ese formulario se abrió antes de que iniciaras o cerraras sesión en otra pestaña, así que no se envió. Lo que escribiste se ha guardado aquí: revísalo y envíalo de nuevo.
flash-already_sent = Este formulario ya se había enviado: se envió una sola vez, no dos.
flash-already_sent_kept = Este formulario ya se había enviado desde otra pestaña, así que no se volvió a enviar. Lo que escribiste en esta pestaña se ha guardado como borrador.

## privacy
privacy-stored_tracking = Visitas guardadas: { $visits }. Contactos de campaña guardados: { $touches }. Borradores: { $drafts }.
privacy-opt_in_undecided = El seguimiento está desactivado hasta que lo aceptes.
privacy-why_title = ¿Por qué veo esto?
privacy-why_intro = El sitio elige parte de lo que ves a partir de lo que ha guardado para ti, aquí, en este servidor. Ahora mismo estás en estos grupos:
privacy-why_none = No estás en ninguno de los grupos del sitio: cada página muestra su contenido habitual.
privacy-title = Tus datos y tu privacidad
privacy-intro = Esto es todo lo que tailor guarda sobre ti, y cómo llevártelo o borrarlo.
privacy-stored_title = Qué guardamos
privacy-stored_none = Nada: no tienes ninguna sesión con nosotros.
privacy-stored_since = Guardamos una sesión tuya desde { $time }.
privacy-stored_list = Contiene tus preferencias (tema, idioma, zona horaria, elección de seguimiento y nombre) y un token de seguridad que protege tus formularios.
privacy-cookie_title = La única cookie
privacy-cookie_text = Usamos una sola cookie que solo contiene un identificador de sesión aleatorio y cifrado. Solo se envía a este sitio, ningún script la lee y caduca cuando dejas de visitarnos.
privacy-tracking_title = Seguimiento
privacy-tracking_on = El seguimiento está permitido: se pueden registrar las páginas que visitas y la campaña que te trajo.
privacy-tracking_off_pref = El seguimiento está desactivado porque lo desactivaste en tus preferencias.
privacy-gpc = Tu navegador envía Global Privacy Control (Sec-GPC: 1), así que no se registra nada.
privacy-dnt = Tu navegador envía Do Not Track (DNT: 1), así que no se registra nada.
privacy-tracking_link = Ajustes de seguimiento
privacy-export_title = Llévate tus datos
privacy-export_text = Descarga todo lo que guardamos sobre ti, en formato JSON.
privacy-export_link = Descargar mis datos
privacy-forget_title = Olvídame
privacy-forget_text = Borra ahora tu sesión y todo lo que contiene: preferencias, borradores, historial, visitas de campañas y cesta. No se puede deshacer.
privacy-forget_button = Borrar mis datos
privacy-forgotten = Tus datos se han borrado. Ya no guardamos nada sobre ti.
privacy-forgotten_browser = Se han borrado los datos de este navegador: su sesión, preferencias, borradores, historial, contactos de campaña y carrito, y los formularios que envió sin cuenta. Has cerrado sesión.
privacy-forgotten_account_kept = Tu cuenta sigue existiendo, con sus preferencias y carrito guardados, sus pedidos y los formularios que enviaste con la sesión iniciada.
privacy-forgotten_delete_link = Inicia sesión para borrar también la cuenta
privacy-stored_durable = Si haces un pedido o envías un formulario, se guarda en nuestra base de datos: los pedidos para la contabilidad, los formularios hasta un año. Descargar mis datos los incluye.
privacy-forget_kept = También borra los formularios que enviaste sin cuenta. Los pedidos se conservan para la contabilidad, sin nada que los vincule a ti.
privacy-forget_account = Tienes la sesión iniciada: tu cuenta, con sus preferencias y cesta guardadas y los formularios que enviaste con la sesión iniciada, se conserva hasta que la elimines.
privacy-delete_account_link = Eliminar mi cuenta
privacy-account_deleted = Tu cuenta se ha eliminado y se ha cerrado la sesión en todos los dispositivos. Tus pedidos se conservan para la contabilidad, sin tu nombre.

## errors
errors-heading = Error { $status }
errors-home_link = Ir a la página de inicio

## errors.field
errors-field-required = Este campo es obligatorio.
errors-field-invalid_email = Escribe un correo como nombre@ejemplo.com.
errors-field-unknown_option = Elige una de las opciones de la lista.
errors-field-unknown_theme = Elige uno de los temas de la lista.
errors-field-unknown_language = Elige uno de los idiomas de la lista.
errors-field-unknown_timezone = Elige una zona horaria de la lista.
errors-field-too_long = Usa como máximo { $max } caracteres.
errors-field-control_characters = Quita los caracteres de control invisibles.
errors-field-invisible = Usa al menos un carácter visible.
errors-field-bidi_controls = Quita los caracteres que cambian la dirección del texto.

## errors.bad_request
errors-bad_request-title = No hemos entendido esa petición
errors-bad_request-text = La petición estaba mal formada. Vuelve atrás e inténtalo de nuevo.

## errors.unauthorized
errors-unauthorized-title = Inicia sesión
errors-unauthorized-text = Esta página necesita que inicies sesión primero.

## errors.forbidden
errors-forbidden-title = Eso no está permitido
errors-forbidden-text = Puede que el formulario haya caducado o venga de otro sitio. Recarga la página e inténtalo de nuevo.

## errors.not_found
errors-not_found-title = Página no encontrada
errors-not_found-text = No hay nada en esta dirección. Puede que aún no exista o que se haya movido.

## errors.payload_too_large
errors-payload_too_large-title = Demasiado grande
errors-payload_too_large-text = Lo que has enviado supera lo que aceptamos. Envía menos, por favor.

## errors.unsupported_media_type
errors-unsupported_media_type-title = Formato no admitido
errors-unsupported_media_type-text = No podemos leer datos enviados en ese formato.

## errors.invalid
errors-invalid-title = Algunos valores no son válidos
errors-invalid-text = Revisa lo que has enviado e inténtalo de nuevo.

## errors.rate_limited
errors-rate_limited-title = Demasiados intentos
errors-rate_limited-text = Espera unos minutos antes de volver a intentarlo.

## errors.unavailable
errors-unavailable-title = No disponible por ahora
errors-unavailable-text = No podemos acceder a tu sesión en este momento. Inténtalo de nuevo enseguida.

## errors.internal
errors-internal-title = Algo ha fallado
errors-internal-text = Se ha producido un error por nuestra parte. Inténtalo de nuevo.

## time
time-today = Hoy
time-yesterday_day = Ayer
time-date = { $day } de { $month } de { $year }
time-month_1 = enero
time-month_2 = febrero
time-month_3 = marzo
time-month_4 = abril
time-month_5 = mayo
time-month_6 = junio
time-month_7 = julio
time-month_8 = agosto
time-month_9 = septiembre
time-month_10 = octubre
time-month_11 = noviembre
time-month_12 = diciembre
time-just_now = hace un momento
time-yesterday = ayer
time-minutes =
    { $n ->
        [one] hace 1 minuto
       *[other] hace { $n } minutos
    }
time-hours =
    { $n ->
        [one] hace 1 hora
       *[other] hace { $n } horas
    }
time-days =
    { $n ->
        [one] hace 1 día
       *[other] hace { $n } días
    }

## drafts
drafts-title = Tus borradores
drafts-intro = Formularios que empezaste y aún no has enviado. Se guardan 30 días desde tu último cambio.
drafts-none = No tienes borradores guardados.
drafts-saved = Guardado { $ago }
drafts-resume = Continuar
drafts-discard = Descartar
drafts-notice = Tienes un borrador del { $time }.
drafts-notice_form = Tienes un borrador de «{ $form }» del { $time }.
drafts-notice_here = Tu borrador del { $time } está abajo, ya rellenado.
drafts-expires_soon = Se borrará el { $time }: envíalo o guárdalo de nuevo para conservarlo.
drafts-notice_resume = Continuar
drafts-notice_discard = Descartarlo
drafts-conflict_title = Este borrador se cambió en otra pestaña o ventana
drafts-conflict_text = Se guardó una versión más reciente el { $time }. Abajo ves tu versión: guárdala para sustituir la más reciente, o usa la más reciente.
drafts-conflict_use_saved = Usar la versión más reciente
drafts-conflict_keep_mine = Mantener mi versión
drafts-too_many_sent = Has enviado este formulario muchas veces en la última hora. Lo que escribiste se guarda como borrador: inténtalo más tarde.
drafts-too_large = Este borrador es demasiado grande para guardarlo. Acórtalo, por favor.
drafts-too_many = Ya tienes el máximo de borradores que guardamos. Envía o descarta uno primero.
drafts-nothing_to_save = Aún no hay nada que guardar: escribe algo primero.
drafts-status_saved = Borrador guardado
drafts-status_saving = Guardando…
drafts-status_failed = No se pudo guardar el borrador. Usa el botón Guardar borrador.
drafts-status_conflict = Este borrador se cambió en otra pestaña.
drafts-save_button = Guardar borrador
drafts-submit_button = Enviar
drafts-errors_title = Corrige los campos marcados abajo. Lo que escribiste se guarda como borrador.
drafts-required_note = Los campos marcados con * son obligatorios.

## forms.contact
forms-contact-title = Solicitar información
forms-contact-intro = Cuéntanos qué necesitas y te responderemos. Tus respuestas se guardan como borrador mientras escribes, así que puedes irte y volver.
forms-contact-thanks_title = ¡Gracias!
forms-contact-thanks_text = Hemos recibido tu solicitud y te contactaremos pronto.

## forms.contact.fields
forms-contact-fields-name = Tu nombre
forms-contact-fields-email = Correo electrónico
forms-contact-fields-company = Empresa
forms-contact-fields-topic = Tema
forms-contact-fields-message = Mensaje
forms-contact-fields-contact_time = Horario de contacto preferido
forms-contact-fields-newsletter = Enviadme el boletín mensual

## forms.contact.options.topic
forms-contact-options-topic-sales = Ventas
forms-contact-options-topic-support = Soporte
forms-contact-options-topic-partnership = Colaboración
forms-contact-options-topic-press = Prensa
forms-contact-options-topic-other = Otra cosa

## forms.contact.options.contact_time
forms-contact-options-contact_time-any = Cualquier hora
forms-contact-options-contact_time-morning = Mañana
forms-contact-options-contact_time-afternoon = Tarde
forms-contact-options-contact_time-evening = Noche

## forms.feedback
forms-feedback-title = Opinión
forms-feedback-intro = ¿Qué tal lo hacemos? Tus respuestas se guardan como borrador mientras escribes.
forms-feedback-thanks_title = ¡Gracias por tu opinión!
forms-feedback-thanks_text = El equipo lee todos los mensajes.

## forms.feedback.fields
forms-feedback-fields-rating = Tu valoración
forms-feedback-fields-comments = Comentarios
forms-feedback-fields-email = Correo electrónico (si quieres respuesta)

## forms.feedback.options.rating
forms-feedback-options-rating-5 = 5 — excelente
forms-feedback-options-rating-4 = 4 — buena
forms-feedback-options-rating-3 = 3 — regular
forms-feedback-options-rating-2 = 2 — mala
forms-feedback-options-rating-1 = 1 — muy mala

## forms.common
forms-common-choose = Elige…
forms-common-back_home = Volver a la página de inicio
forms-common-another = Danos tu opinión

## admin
admin-submissions_title = Envíos
admin-submissions_none = Aún no se ha enviado ningún formulario.
admin-form = Formulario
admin-submitted_at = Enviado
admin-content = Contenido
admin-nav_label = Informes de operación
admin-orders_title = Pedidos
admin-orders_none = Aún no se ha hecho ningún pedido.
admin-orders_count = Total: { $n }. Primero los más recientes.
admin-submissions_count = Total: { $n }. Primero los más recientes.
admin-csv = Descargar CSV
admin-number = N.º
admin-placed_at = Realizado
admin-customer = Cuenta
admin-no_account = sin cuenta
admin-items = Artículos
admin-total = Total
admin-credit = Atribución de campaña
admin-direct = (directo)
admin-with_account = con sesión
admin-paging_label = Páginas
admin-page_of = Página { $page } de { $pages }
admin-newer = Más recientes
admin-older = Más antiguos
admin-yes = Sí

## admin.experiments
admin-experiments-title = Experimentos
admin-experiments-intro = Las variantes de cada experimento: los visitantes que participaron, las páginas que les mostraron el espacio y las conversiones por objetivo. Una conversión cuenta una vez por participante y objetivo.
admin-experiments-csv = Descargar CSV
admin-experiments-slot = espacio
admin-experiments-flag = indicador
admin-experiments-paused = En pausa: nadie nuevo participa, todos ven el control y no se cuenta nada; las asignaciones se guardan para cuando vuelva a funcionar.
admin-experiments-stopped = Detenido: todos ven { $winner } y no se cuenta nada. Las cifras siguientes son definitivas.
admin-experiments-version = versión { $version }
admin-experiments-changed_on = Los pesos cambiaron el { $date } (UTC): las cifras anteriores solo cuentan a los participantes asignados desde entonces (los anteriores conservan su variante); los del reparto anterior están debajo. Mezclar repartos sesgaría la diferencia y daría falsas alarmas.
admin-experiments-flips = Cambios: { $flips } (asignaciones guardadas cuya variante cambió; debe seguir en 0).
admin-experiments-flips_warning = La variante guardada de algunos visitantes cambió: vieron más de una variante, así que sus cifras mezclan ambas. Es un error; por favor, infórmelo.
admin-experiments-earlier = Cifras anteriores: versión { $version }
admin-experiments-since = desde el { $date }
admin-experiments-ended = ya no está en el archivo de reglas
admin-experiments-variant = Variante
admin-experiments-participants = Participantes
admin-experiments-exposures = Exposiciones
admin-experiments-contact = Formularios de contacto
admin-experiments-checkout = Compras
admin-experiments-rate = Tasa
admin-experiments-diff = Diferencia con el control (intervalo)
admin-experiments-baseline = referencia
admin-experiments-not_enough = datos insuficientes
admin-experiments-points = pts
admin-experiments-removed = eliminada
admin-experiments-none = Nadie ha participado todavía.
admin-experiments-no_experiments = El archivo de reglas no tiene experimentos y no se ha contado ninguno.
admin-experiments-chart = Tasa de conversión por variante
admin-experiments-method = Las tasas son conversiones por participante. La diferencia se muestra cuando la variante y el control tienen al menos 100 participantes cada uno; con varias variantes, la tasa de error del 5 % se reparte entre sus comparaciones con el control.
admin-experiments-sequential = Intervalo siempre válido (una secuencia de confianza): sigue siendo correcto por muchas veces que consulte esta página, así que puede detener el experimento en cuanto un intervalo excluya el 0. Ajustado para { $planned } participantes.
admin-experiments-fixed = Intervalo de horizonte fijo (Wald), válido solo si se lee una vez, con el tamaño previsto ({ $planned } participantes): leído antes o a menudo, encuentra ganadores que no existen.
admin-experiments-srm_ok = El reparto coincide con los pesos (p { $p }).
admin-experiments-srm_unknown = El reparto se comprueba con los pesos cuando cada variante espera 5 participantes.
admin-experiments-srm_warning = El reparto no coincide con los pesos (p { $p }): no confíe en estos resultados. Causas habituales: bots o rastreadores contados en una variante, una redirección o una caché que pierde visitantes de una variante, una página que muestra una variante y no la otra, o un error de seguimiento.

## admin.campaigns
admin-campaigns-title = Campañas
admin-campaigns-intro = Sesiones y conversiones por campaña, fuente y medio. Los recuentos se llevan al momento y sobreviven a las sesiones que los generaron.
admin-campaigns-first_touch = Atribución al primer contacto
admin-campaigns-last_touch = Atribución al último contacto
admin-campaigns-campaign = Campaña
admin-campaigns-source = Fuente
admin-campaigns-medium = Medio
admin-campaigns-sessions = Sesiones
admin-campaigns-contact = Formularios de contacto
admin-campaigns-checkout = Compras
admin-campaigns-none = Aún no hay nada contado.
admin-campaigns-csv = Descargar CSV
admin-campaigns-chart_sessions = Sesiones por campaña: { $model }
admin-campaigns-chart_conversions = Conversiones por campaña: { $model }
admin-campaigns-direct = (directo)
admin-campaigns-not_set = (sin indicar)
admin-campaigns-other = (otros)
admin-campaigns-linear = Atribución lineal
admin-campaigns-position = Atribución por posición
admin-campaigns-models = Modelo de atribución
admin-campaigns-both_models = Primer y último contacto
admin-campaigns-linear_note = Cada conversión se reparte a partes iguales entre los contactos registrados de la sesión; las sesiones cuentan en cada valor del que tienen un contacto.
admin-campaigns-position_note = Cada conversión da un 40 % al primer contacto, un 40 % al último y un 20 % a los intermedios (50/50 con dos contactos); las sesiones cuentan en cada valor del que tienen un contacto.
admin-campaigns-bad_model = No existe ese modelo de atribución; el informe muestra el primer y el último contacto. Pediste:

## history
history-title = Tu historial de visitas
history-intro = Las páginas que abriste en este sitio, las más recientes primero, en tu zona horaria.
history-empty = Aún no hay visitas registradas.
history-off = El seguimiento está desactivado para ti, así que no se registran nuevas visitas.
history-settings_link = Ajustes de seguimiento
history-clear_button = Borrar historial
history-chart_title = Páginas más visitadas
history-chart_desc = Gráfico de barras de tus páginas más visitadas y cuántas veces abriste cada una.
history-kept =
    { $count ->
        [one] { $count } visita guardada (como máximo las { $max } más recientes).
       *[other] { $count } visitas guardadas (como máximo las { $max } más recientes).
    }
history-from = desde { $origin }

## consent
consent-title = ¿Podemos recordar tu visita?
consent-text = Con tu permiso registramos las páginas que abres y la campaña que te trajo, para personalizar este sitio. No se registra nada hasta que aceptes.
consent-accept = Aceptar
consent-decline = No, gracias

## shop
shop-title = Productos
shop-intro = Ropa y complementos a medida. Tu carrito te acompaña de página en página.
shop-back = Todos los productos
shop-quantity = Cantidad
shop-add = Añadir al carrito
shop-in_cart = Ya tienes { $n } en tu carrito.

## cart
cart-title = Tu carrito
cart-empty = Tu carrito está vacío.
cart-browse = Ver los productos
cart-caption =
    { $n ->
        [one] { $n } artículo
       *[other] { $n } artículos
    }
cart-product = Producto
cart-unit_price = Precio
cart-subtotal = Subtotal
cart-actions = Acciones
cart-update = Actualizar
cart-remove = Quitar
cart-total = Total
cart-checkout = Hacer el pedido

## cart.errors
cart-errors-quantity = Elige una cantidad de 1 a 99.
cart-errors-too_many = Una línea del carrito admite como máximo 99 unidades.
cart-errors-empty = Tu carrito está vacío: no hay nada que pedir.

## accounts
accounts-login_title = Iniciar sesión
accounts-login_button = Entrar
accounts-register_title = Crear una cuenta
accounts-register_intro = Con una cuenta, tu carrito y tus preferencias te acompañan en todos tus dispositivos.
accounts-register_button = Crear cuenta
accounts-username = Nombre de usuario
accounts-username_help = De 3 a 32 letras, cifras, puntos, guiones o guiones bajos.
accounts-password = Contraseña
accounts-password_help = Al menos 10 caracteres.
accounts-no_account = ¿Aún no tienes cuenta?
accounts-register_link = Crea una
accounts-have_account = ¿Ya te registraste?
accounts-login_link = Inicia sesión
accounts-account_title = Tu cuenta
accounts-signed_in_as = Sesión iniciada como { $name }
accounts-since = desde { $time }
accounts-sessions_title = Dónde has iniciado sesión
accounts-this_device = este dispositivo
accounts-unknown_browser = Navegador desconocido
accounts-last_seen = Última actividad { $time }
accounts-logout_others = Cerrar las demás sesiones
accounts-password_title = Cambiar la contraseña
accounts-current_password = Contraseña actual
accounts-new_password = Contraseña nueva
accounts-password_ends_sessions = Al cambiarla se cierran todas las demás sesiones.
accounts-change_password = Cambiar la contraseña
accounts-logout = Cerrar sesión
accounts-sessions_order = Primero el inicio de sesión más reciente.
accounts-signed_in = Sesión iniciada { $time }
accounts-delete_title = Eliminar tu cuenta
accounts-delete_text = Elimina tu cuenta, sus preferencias y cesta guardadas, los formularios que enviaste con la sesión iniciada, y cierra la sesión en todos los dispositivos. Tus pedidos se conservan para la contabilidad, sin tu nombre. No se puede deshacer.
accounts-delete_password = Tu contraseña, para confirmar
accounts-delete_button = Eliminar mi cuenta

## accounts.errors
accounts-errors-wrong_credentials = El nombre de usuario o la contraseña no son correctos.
accounts-errors-locked = Demasiados intentos fallidos. Espera unos minutos y vuelve a intentarlo.
accounts-errors-username_invalid = Elige un nombre de 3 a 32 letras, cifras, puntos, guiones o guiones bajos.
accounts-errors-username_taken = Ese nombre de usuario ya existe. Elige otro.
accounts-errors-password_short = Usa una contraseña de al menos 10 caracteres.
accounts-errors-password_long = Usa una contraseña de como máximo 256 caracteres.
accounts-errors-current_wrong = Tu contraseña actual no es correcta.
accounts-errors-delete_wrong = Esa no es tu contraseña; la cuenta no se ha eliminado.
accounts-errors-busy = El servidor está ocupado comprobando contraseñas. Inténtalo de nuevo en un momento.
accounts-errors-register_limited = Se han creado demasiadas cuentas desde tu red. Inténtalo de nuevo más tarde.
accounts-errors-unavailable = No pudimos terminar de iniciar tu sesión. Inténtalo de nuevo en un momento.

why-and = { ", y " }
why-or = { " o " }
why-not = no ({ $what })
why-in_segment = en el grupo { $name }
why-first_touch = primer contacto
why-last_touch = último contacto
why-source = fuente
why-medium = medio
why-campaign = campaña
why-field_is = { $touch }: { $field } es { $values }
why-at_least = al menos { $min }
why-at_most = como mucho { $max }
why-between = entre { $min } y { $max }
why-any_number = cualquier número
why-visits = { $n ->
    [one] 1 visita
   *[other] { $n } visitas
} ({ $range })
why-sessions = { $n ->
    [one] 1 visita separada
   *[other] { $n } visitas separadas
} ({ $range })
why-visited = { $n ->
    [one] 1 visita
   *[other] { $n } visitas
} a { $path } (al menos { $min })
why-referrer = llegaste desde { $origins }
why-days = primera visita hace { $days ->
    [one] 1 día
   *[other] { $days } días
} ({ $range })
why-language = el idioma es { $language }
why-theme = el tema es { $value }
why-logged_in = has iniciado sesión
why-not_logged_in = no has iniciado sesión
why-cart_items = { $n ->
    [one] 1 artículo en el carrito
   *[other] { $n } artículos en el carrito
} ({ $range })
why-draft = un borrador guardado de { $value }
why-experiment = participas en esta prueba: se te mostró al azar una de sus { $versions } versiones, y la conservas
why-attribute = { $name } es { $value }

orders-title = Tu pedido
orders-reference = Pedido { $reference }
orders-placed_at = Realizado { $time }.
orders-items = Lo que pediste
orders-kept = Guardamos tu pedido para la contabilidad. Solo este navegador, o tu cuenta, pueden abrir esta página.
orders-continue = Seguir comprando
orders-your_orders = Tus pedidos
orders-none = Aún no hay pedidos.
orders-item_count = { $n ->
    [one] 1 artículo
   *[other] { $n } artículos
}

## consent ledger
privacy-gpc_honoured = Este sitio respeta Global Privacy Control: un navegador que lo envía nunca se rastrea, y la señal queda escrita en tu registro de consentimiento.
privacy-consent_title = Tu registro de consentimiento
privacy-policy_version = La política de privacidad vigente es la versión { $version }.
privacy-policy_date = Entró en vigor el { $date }.
privacy-consent_id = Tu identificador de consentimiento:
privacy-consent_hand_over = Cada elección que hiciste, y cada señal de privacidad que envió tu navegador, se guarda con este identificador y nada más que te nombre. Entrégalo para probar lo que elegiste. Al olvidarte se olvida el identificador; el registro queda, anónimo.
privacy-consent_history = Tus elecciones
privacy-consent_none = Aún no hay ninguna elección registrada.
consent-changed_title = Nuestra política de privacidad ha cambiado
consent-changed_on = Nuestra política de privacidad cambió el { $date }.
consent-changed = Nuestra política de privacidad ha cambiado desde tu última elección.
consent-changed_notice = Revisa tu elección: ¿podemos seguir registrando las páginas que abres y la campaña que te trajo?
consent-changed_ask = No se registra nada hasta que vuelvas a elegir: ¿podemos registrar las páginas que abres y la campaña que te trajo?
consent-privacy_link = Lo que guardamos
admin-consent-title = Consentimiento
admin-consent-intro = Cada elección de consentimiento y cada señal de privacidad, por día (UTC) y versión de la política. Cada elección se guarda en el registro con un identificador anónimo; búscalo para ver su historial.
admin-consent-policy = Versión de la política vigente:
admin-consent-since = desde
admin-consent-lookup = Identificador de consentimiento
admin-consent-find = Buscar
admin-consent-bad_id = Eso no es un identificador de consentimiento: tiene hasta 64 letras, cifras, - y _.
admin-consent-history = Historial de este identificador
admin-consent-csv = Descargar CSV
admin-consent-by_day = Consentimiento por día y versión de la política
admin-consent-day = Día
admin-consent-version = Versión de la política
admin-consent-asked = Preguntados
admin-consent-granted = Concedidos
admin-consent-refused = Rechazados
admin-consent-withdrawn = Retirados
admin-consent-none = Aún no hay nada registrado.
admin-consent-notes = Preguntados: las veces que se mostró el aviso o el cambio de política. GPC y DNT: señales registradas una vez por sesión, más las peticiones de navegadores sin sesión, solo contadas.
admin-consent-time = Hora
admin-consent-choice = Elección
admin-consent-source = Origen
admin-consent-scope = Alcance
admin-consent-language = Idioma
admin-consent-from_banner = Aviso
admin-consent-from_preferences = Página de preferencias
admin-consent-from_api = API
admin-consent-from_gpc = Global Privacy Control
admin-consent-from_dnt = Do Not Track
admin-consent-scope_all = Seguimiento y experimentos
admin-consent-no_events = Ningún evento para este identificador.

## undecided visitors
admin-undecided-title = Visitantes que aún no han elegido (estimado)
admin-undecided-intro = Contados sin cookie, nunca mezclados con las cifras de arriba: páginas vistas por visitantes que no han respondido al aviso de consentimiento y no envían ni GPC ni DNT, y visitantes únicos estimados a partir de un hash diario con sal de su red, navegador y host (la sal es aleatoria y se olvida a las 25 horas). Los bots conocidos se cuentan aparte.
admin-undecided-by_day = Por día, los últimos 30 días (UTC)
admin-undecided-visitors = Visitantes (estimado)
admin-undecided-page_views = Páginas vistas
admin-undecided-bots = Páginas vistas por bots
admin-undecided-none = Aún no hay nada contado.
admin-undecided-paths = Páginas más vistas, los últimos 30 días
admin-undecided-path = Página
privacy-cookieless_counts = Los visitantes que aún no han elegido se cuentan sin cookie y sin guardar nada sobre ellos: una vista por página, y una estimación de los visitantes del día hecha con un hash de su red, su navegador y el sitio, con una sal aleatoria que se olvida a las 25 horas. Rechazar, o enviar GPC o DNT, lo detiene.
