using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Baton.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RunConcurrencyGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_runs_claimable",
                table: "runs");

            migrationBuilder.AddColumn<string>(
                name: "concurrency_group",
                table: "runs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "concurrency_limit",
                table: "runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "held",
                table: "runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_runs_claimable",
                table: "runs",
                columns: new[] { "priority", "id" },
                descending: new[] { true, false },
                filter: "status = 'Queued' AND held = FALSE");

            migrationBuilder.CreateIndex(
                name: "ix_runs_groups",
                table: "runs",
                columns: new[] { "project_id", "concurrency_group", "status" },
                filter: "concurrency_group IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_runs_held",
                table: "runs",
                columns: new[] { "project_id", "concurrency_group", "priority", "id" },
                descending: new[] { false, false, true, false },
                filter: "held = TRUE AND status = 'Queued'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_runs_claimable",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "ix_runs_groups",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "ix_runs_held",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "concurrency_group",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "concurrency_limit",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "held",
                table: "runs");

            migrationBuilder.CreateIndex(
                name: "ix_runs_claimable",
                table: "runs",
                columns: new[] { "priority", "id" },
                descending: new[] { true, false },
                filter: "status = 'Queued'");
        }
    }
}
