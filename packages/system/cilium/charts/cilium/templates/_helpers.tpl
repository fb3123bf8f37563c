{{/*
cilium.image: "<repository>:<tag>[@<digest>]" of an image block.
*/}}
{{- define "cilium.image" -}}
{{- $digest := ternary (printf "@%s" (.digest | default "")) "" (and (.useDigest | default false) (ne (.digest | default "") "")) -}}
{{- printf "%s:%s%s" .repository .tag $digest -}}
{{- end -}}
