"""Who you are and what your credential allows: the codes of the API's top-level authentication errors."""

from smartoffice.errors import ErrorCode
from smartoffice.i18n import N_


class AuthCode(ErrorCode):
    UNAUTHENTICATED = N_("Authentication required: sign in, or send an app token to /api/graphql")
    INSUFFICIENT_SCOPE = N_("This app token lacks the %(scope)s scope")
    SESSIONS_ONLY = N_("App tokens cannot do this: sign in as yourself (on the pages, or in GraphiQL)")
