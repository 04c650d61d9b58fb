:{{ .Values.showcase.frontend.containerPort }} {
    header {
        Content-Security-Policy {{ .Values.showcase.frontend.contentSecurityPolicy | quote }};
        X-Frame-Options DENY;
    }
    log {
        output stdout
    }
    root * /srv
    file_server
    vars * basePath {{ .Values.showcase.baseRoute }}
    @admin_api {
        {{- include "showcase.caddyAdminApiMatcherLines" . | nindent 8 }}
    }
    @encode_static {
        not path {{ .Values.showcase.baseRoute }}/demo/* {{ .Values.showcase.baseRoute }}/server/* {{ .Values.showcase.baseRoute }}/agent/* {{ .Values.showcase.baseRoute }}/public/* {{ .Values.showcase.baseRoute }}/qr {{ .Values.showcase.baseRoute }}/i/*
    }
    encode @encode_static zstd gzip
    handle /health {
        respond 200
    }
    handle {{ .Values.showcase.baseRoute }}* {
        @spa_router {
            not {
                {{- include "showcase.caddyAdminApiMatcherLines" . | nindent 16 }}
            }
            not path {{ .Values.showcase.baseRoute }}/demo/* {{ .Values.showcase.baseRoute }}/server/* {{ .Values.showcase.baseRoute }}/agent/ready {{ .Values.showcase.baseRoute }}/public/* {{ .Values.showcase.baseRoute }}/qr {{ .Values.showcase.baseRoute }}/i/*
            file {
                try_files {path} {{ .Values.showcase.baseRoute }}/index.html
            }
        }
        rewrite @spa_router {http.matchers.file.relative}
        reverse_proxy @admin_api {$SHOWCASE_API_UPSTREAM}
        @pass {
            path {{ .Values.showcase.baseRoute }}/demo/* {{ .Values.showcase.baseRoute }}/server/* {{ .Values.showcase.baseRoute }}/agent/ready {{ .Values.showcase.baseRoute }}/public/* {{ .Values.showcase.baseRoute }}/qr {{ .Values.showcase.baseRoute }}/i/*
        }
        reverse_proxy @pass {$SHOWCASE_API_UPSTREAM} {
            header_up X-Forwarded-Host {host}
        }
    }
    handle {
        redir {vars.basePath}
    }
}
