"""People: organisations (instansi), their org-unit trees and employees."""
